//! Variants: each `[[variant]]` must name fields of the scenario and, applied, give a valid one.

use super::*;

/// Each variant's settings must name fields of this scenario and, applied
/// together, give a valid scenario; ids must be unique.
pub(super) fn check_variants(cx: &mut Cx<'_>, text: &str, root: &DeTable<'_>, s: &Scenario) {
    let Some(DeValue::Array(items)) = root.get("variant").map(|v| v.get_ref()) else {
        return;
    };
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for (k, (item, variant)) in items.iter().zip(&s.variants).enumerate() {
        let Some(table) = item.get_ref().as_table() else {
            continue;
        };
        let path = format!("variant[{k}]");
        if let Some(id) = table.get("id") {
            if let Some(first) = seen.get(variant.id.as_str()) {
                let first_line = cx.line_of(first);
                cx.error(
                    id.span(),
                    format!("{path}.id"),
                    DiagnosticKind::DuplicateId {
                        what: "variant",
                        id: variant.id.clone(),
                        first_line,
                    },
                );
            }
            seen.insert(variant.id.as_str(), id.span());
        }
        let Some(set) = table.get("set") else {
            continue;
        };
        let keys: Vec<Span> = set
            .get_ref()
            .as_table()
            .map(|t| {
                let mut keys: Vec<Span> = t.iter().map(|(key, _)| key.span()).collect();
                keys.sort_by_key(|k| k.start);
                keys
            })
            .unwrap_or_default();
        let mut all_ok = true;
        for ((field, value), span) in variant.set.iter().zip(keys) {
            let o = crate::overrides::Override {
                path: field.clone(),
                value: value.clone(),
            };
            if let Err(e) = crate::overrides::variant_text(text, &[o]) {
                all_ok = false;
                cx.error(
                    span,
                    format!("{path}.set.\"{field}\""),
                    DiagnosticKind::BadSetting {
                        message: e.to_string(),
                    },
                );
            }
        }
        if !all_ok {
            continue;
        }
        let list = crate::overrides::list(&variant.set);
        let problem = match crate::overrides::variant_text(text, &list) {
            Ok(changed) => match parse_scenario(&changed) {
                Ok(_) => None,
                Err(e) => Some(
                    e.diagnostics
                        .first()
                        .map(|d| format!("{}: {}", d.path, d.kind))
                        .unwrap_or_default(),
                ),
            },
            Err(e) => Some(e.to_string()),
        };
        if let Some(message) = problem {
            cx.error(
                set.span(),
                format!("{path}.set"),
                DiagnosticKind::BadSetting {
                    message: format!("with these settings the scenario is not valid: {message}"),
                },
            );
        }
    }
}
