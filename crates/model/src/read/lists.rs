//! Reading lists and maps of a table: positions, quantities, strings,
//! integers, choices, probability and weight maps, settings.

use super::*;

impl<'a, 'i> Tbl<'a, 'i> {
    pub(crate) fn point(&self, cx: &mut Cx<'_>, key: &str) -> Option<Point> {
        let v = self.get(key)?;
        read_point(cx, v, self.key_path(key))
    }

    pub(crate) fn points(&self, cx: &mut Cx<'_>, key: &str) -> Option<Vec<Point>> {
        self.list(cx, key, read_point)
    }

    /// A list of quantities of dimension `dim`, each of sign `sign`.
    pub(crate) fn quantities(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        dim: Dimension,
        sign: Sign,
    ) -> Option<Vec<f64>> {
        self.list(cx, key, |cx, item, path| {
            let x = read_quantity(cx, item, path.clone(), dim)?;
            let text = match item.get_ref() {
                DeValue::String(s) => s.to_string(),
                _ => String::new(),
            };
            check_sign(cx, item.span(), path, x, &text, sign, dim)
        })
    }

    /// A list whose items `read` reads (each with its path, `key[i]`); every
    /// bad item is reported.
    fn list<T>(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        mut read: impl FnMut(&mut Cx<'_>, &Val<'_>, String) -> Option<T>,
    ) -> Option<Vec<T>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong(cx, key, v);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match read(cx, item, format!("{}[{i}]", self.key_path(key))) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// One of a fixed set of names.
    pub(crate) fn choice<E>(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        parse: fn(&str) -> Option<E>,
        names: &[&str],
    ) -> Option<E> {
        let v = self.get(key)?;
        read_choice(cx, v, self.key_path(key), parse, names)
    }

    /// A non-empty list of integers in `[min, max]`.
    pub(crate) fn integers(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        min: i64,
        max: i64,
    ) -> Option<Vec<i64>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong(cx, key, v);
            return None;
        };
        if items.is_empty() {
            cx.error(
                v.span(),
                self.key_path(key),
                DiagnosticKind::EmptyList {
                    key: key.to_string(),
                    item: "integer",
                },
            );
            return None;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match integer(item.get_ref()) {
                Some(n) if (min..=max).contains(&n) => out.push(n),
                found => {
                    ok = false;
                    let path = format!("{}[{i}]", self.key_path(key));
                    let kind = match found {
                        Some(n) => DiagnosticKind::OutOfRange {
                            found: n.to_string(),
                            expected: format!("an integer from {min} to {max}"),
                        },
                        None => DiagnosticKind::WrongType {
                            expected: "an integer".into(),
                            found: type_name(item.get_ref()),
                        },
                    };
                    cx.error(item.span(), path, kind);
                }
            }
        }
        ok.then_some(out)
    }

    /// A list of strings, each with its span.
    pub(crate) fn strings(&self, cx: &mut Cx<'_>, key: &str) -> Option<Vec<(String, Span)>> {
        let v = self.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong(cx, key, v);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.to_string(), item.span())),
                other => {
                    ok = false;
                    cx.error(
                        item.span(),
                        format!("{}[{i}]", self.key_path(key)),
                        DiagnosticKind::WrongType {
                            expected: "a string".into(),
                            found: type_name(other),
                        },
                    );
                }
            }
        }
        ok.then_some(out)
    }

    /// A table from names to probabilities, each name with its span.
    /// The entries of the inline table at `key`, in file order (a wrong
    /// type is reported); with the table's own value.
    #[allow(clippy::type_complexity)]
    fn entries(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
    ) -> Option<(
        &'a Val<'i>,
        Vec<(&'a Spanned<std::borrow::Cow<'i, str>>, &'a Val<'i>)>,
    )> {
        let v = self.get(key)?;
        let DeValue::Table(t) = v.get_ref() else {
            self.wrong(cx, key, v);
            return None;
        };
        let mut entries: Vec<_> = t.iter().collect();
        entries.sort_by_key(|(k, _)| k.span().start);
        Some((v, entries))
    }

    pub(crate) fn probability_map(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
    ) -> Option<Vec<(String, Span, f64)>> {
        let (_, entries) = self.entries(cx, key)?;
        let mut out = Vec::with_capacity(entries.len());
        let mut ok = true;
        for (k, val) in entries {
            let name = k.get_ref().to_string();
            match read_probability(cx, val, format!("{}.{name}", self.key_path(key))) {
                Some(p) => out.push((name, k.span(), p)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A table from name to a weight above 0, each with the span of its key.
    pub(crate) fn weights(&self, cx: &mut Cx<'_>, key: &str) -> Option<Vec<(String, Span, f64)>> {
        let (v, entries) = self.entries(cx, key)?;
        if entries.is_empty() {
            cx.error(
                v.span(),
                self.key_path(key),
                DiagnosticKind::EmptyList {
                    key: key.to_string(),
                    item: "name = weight",
                },
            );
            return None;
        }
        let mut out = Vec::with_capacity(entries.len());
        let mut ok = true;
        for (k, val) in entries {
            let name = k.get_ref().to_string();
            let path = format!("{}.{name}", self.key_path(key));
            match number(val.get_ref()) {
                Some(w) if w > 0.0 && w.is_finite() => out.push((name, k.span(), w)),
                Some(w) => {
                    ok = false;
                    cx.error(
                        val.span(),
                        path,
                        DiagnosticKind::OutOfRange {
                            found: crate::units::fmt_number(w),
                            expected: "a weight > 0".into(),
                        },
                    );
                }
                None => {
                    ok = false;
                    cx.error(
                        val.span(),
                        path,
                        DiagnosticKind::WrongType {
                            expected: "a weight (a number > 0)".into(),
                            found: type_name(val.get_ref()),
                        },
                    );
                }
            }
        }
        ok.then_some(out)
    }

    /// A table of settings: field path to value (a string or a number), as
    /// the value's text, each with the span of its key.
    pub(crate) fn settings(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
    ) -> Option<Vec<(String, Span, String)>> {
        let (v, entries) = self.entries(cx, key)?;
        let mut out = Vec::with_capacity(entries.len());
        let mut ok = true;
        for (k, val) in entries {
            let path = k.get_ref().to_string();
            let text = match val.get_ref() {
                DeValue::String(s) => Some(s.to_string()),
                DeValue::Integer(i) => integer(val.get_ref())
                    .map(|n| n.to_string())
                    .or_else(|| Some(i.as_str().to_string())),
                DeValue::Float(f) => Some(f.as_str().to_string()),
                other => {
                    cx.error(
                        val.span(),
                        format!("{}.\"{path}\"", self.key_path(key)),
                        DiagnosticKind::WrongType {
                            expected: "a number or a string".into(),
                            found: type_name(other),
                        },
                    );
                    None
                }
            };
            match text {
                Some(text) => out.push((path, k.span(), text)),
                None => ok = false,
            }
        }
        if out.is_empty() && ok {
            cx.error(
                v.span(),
                self.key_path(key),
                DiagnosticKind::EmptyList {
                    key: key.to_string(),
                    item: "setting",
                },
            );
            return None;
        }
        ok.then_some(out)
    }
}
