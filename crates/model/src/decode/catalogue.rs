//! The catalogue: its raw tables by id, merged under a scenario table that names a `class`.

use super::*;

/// The catalogue's raw tables, by id, for merging under a scenario's overrides.
pub(super) struct RawCatalogue<'c> {
    pub(super) threats: Vec<(&'c str, &'c DeTable<'static>)>,
    pub(super) effectors: Vec<(&'c str, &'c DeTable<'static>)>,
}

impl<'c> RawCatalogue<'c> {
    pub(super) fn new(root: &'c DeTable<'static>) -> Self {
        let list = |key: &str| -> Vec<(&'c str, &'c DeTable<'static>)> {
            let Some(DeValue::Array(items)) = root.get(key).map(|v| v.get_ref()) else {
                return Vec::new();
            };
            items
                .iter()
                .filter_map(|item| {
                    let t = item.get_ref().as_table()?;
                    let id = t.get("id")?.get_ref().as_str()?;
                    Some((id, t))
                })
                .collect()
        };
        RawCatalogue {
            threats: list("threat"),
            effectors: list("effector"),
        }
    }

    pub(super) fn threat(&self, id: &str) -> Option<&'c DeTable<'static>> {
        self.threats.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
    }

    pub(super) fn effector(&self, id: &str) -> Option<&'c DeTable<'static>> {
        self.effectors
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| *t)
    }
}

/// A `[[threat]]` or `[[effector]]` table and its catalogue class.
pub(super) enum Base<'i> {
    /// No class: the table stands alone.
    Own,
    /// The class's table with the user's keys over it.
    Merged(String, DeTable<'i>),
    /// An unknown class or a conflicting kind, already reported.
    Broken,
}

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    /// A table merged over its catalogue class, when it names one.
    pub(super) fn with_class<'i>(
        &mut self,
        t: &Tbl<'_, 'i>,
        find: fn(&RawCatalogue<'c>, &str) -> Option<&'c DeTable<'static>>,
        ids: fn(&RawCatalogue<'c>) -> Vec<&'c str>,
    ) -> Base<'i> {
        let Some(class) = t.string(self.cx, "class") else {
            return if t.has("class") {
                Base::Broken
            } else {
                Base::Own
            };
        };
        let span = t.span_of("class");
        let Some(base) = find(self.catalogue, &class) else {
            let names = ids(self.catalogue);
            self.cx.error(
                span,
                t.key_path("class"),
                DiagnosticKind::DanglingId {
                    what: "catalogue class",
                    id: class.clone(),
                    suggestion: suggest(&class, names.iter().copied()),
                    known: names.iter().map(|n| n.to_string()).collect(),
                },
            );
            return Base::Broken;
        };
        let base_kind = base.get("kind").and_then(|v| v.get_ref().as_str());
        let own_kind = t.get("kind").and_then(|v| v.get_ref().as_str());
        if let (Some(own), Some(base_kind)) = (own_kind, base_kind)
            && own != base_kind
        {
            self.cx.error(
                t.span_of("kind"),
                t.key_path("kind"),
                DiagnosticKind::KindConflict {
                    kind: own.to_string(),
                    class: class.clone(),
                    class_kind: base_kind.to_string(),
                },
            );
            return Base::Broken;
        }
        let mut merged = t.table.clone();
        for (k, v) in base.iter() {
            if k.get_ref() == "id" || merged.contains_key(k.get_ref().as_ref()) {
                continue;
            }
            merged.insert(
                Spanned::new(span.clone(), k.get_ref().clone()),
                respan(v, &span),
            );
        }
        Base::Merged(class, merged)
    }

    /// The table to decode, with its catalogue base merged in.
    pub(super) fn based<'a, 'i>(
        raw: &Tbl<'a, 'i>,
        base: &'a Base<'i>,
        spec: &'static spec::TableSpec,
    ) -> (Option<String>, Tbl<'a, 'i>) {
        match base {
            Base::Merged(class, m) => (
                Some(class.clone()),
                Tbl::trusted(m, raw.span.clone(), raw.path.clone(), spec),
            ),
            Base::Own => (
                None,
                Tbl::trusted(raw.table, raw.span.clone(), raw.path.clone(), spec),
            ),
            // Still read the fields the user wrote, to report their errors,
            // but not the absent ones that a catalogue class would have given.
            Base::Broken => (
                None,
                Tbl::trusted(raw.table, raw.span.clone(), raw.path.clone(), spec).silent_missing(),
            ),
        }
    }
}
