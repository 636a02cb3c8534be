//! Budgets of a campaign, compared on the same nights: each a name and its
//! overrides on the campaign file, checked here for every front end.

/// Why a set of budgets cannot be compared.
#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
    #[error("two budgets are named `{name}`")]
    Duplicate { name: String },
    #[error(
        "budget {name}: `{path}` is not procurement; budgets change [[attacker]], [raids], [[defender]], [repair] or [losses], and every budget plays the same nights (set the nights and the seed of the comparison instead)"
    )]
    NotProcurement { name: String, path: String },
    #[error("budget {name}")]
    Override {
        name: String,
        #[source]
        source: Box<rampart_model::overrides::OverrideError>,
    },
}

/// The campaign text of each budget of `named` (a name and its overrides
/// on campaign `text`), in order: names unique, and only procurement
/// changed (every budget plays the same nights). Each front end then reads
/// the texts with [`crate::check_campaign_file`].
pub fn budget_texts(
    text: &str,
    named: &[(String, Vec<rampart_model::overrides::Override>)],
) -> Result<Vec<(String, String)>, BudgetError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(named.len());
    for (name, list) in named {
        if !seen.insert(name.as_str()) {
            return Err(BudgetError::Duplicate { name: name.clone() });
        }
        if let Some(o) = list.iter().find(|o| o.path.starts_with("campaign.")) {
            return Err(BudgetError::NotProcurement {
                name: name.clone(),
                path: o.path.clone(),
            });
        }
        let changed =
            rampart_model::overrides::apply_in(&rampart_model::campaign::ROOT, text, list)
                .map_err(|source| BudgetError::Override {
                    name: name.clone(),
                    source: Box::new(source),
                })?;
        out.push((name.clone(), changed));
    }
    Ok(out)
}
