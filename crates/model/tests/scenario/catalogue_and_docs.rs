//! The catalogue is valid and documented; the format documentation covers every key.

use rampart_model::{CATALOGUE_TOML, check_bytes, spec};

fn catalogue_ids(table: &str) -> Vec<String> {
    let doc: toml::Table = CATALOGUE_TOML.parse().expect("catalogue parses");
    doc[table]
        .as_array()
        .expect("array of tables")
        .iter()
        .map(|t| t["id"].as_str().expect("id").to_string())
        .collect()
}

/// Every catalogue class, used in one scenario, validates with no diagnostic.
#[test]
fn every_catalogue_class_is_usable_as_is() {
    let threats = catalogue_ids("threat");
    let effectors = catalogue_ids("effector");
    assert!(threats.len() >= 4 && effectors.len() >= 5);
    let mut text = String::from(
        "[scenario]\nname = \"all classes\"\nduration = \"10 h\"\n\n\
         [[asset]]\nid = \"a\"\nkind = \"other\"\nposition = [\"0 km\", \"0 km\"]\n\n\
         [[sensor]]\nid = \"r\"\ntype = \"radar\"\nposition = [\"0 km\", \"0 km\"]\nrange = \"100 km\"\np_detect = 0.9\n\n\
         [[launch_site]]\nid = \"l\"\nposition = [\"100 km\", \"0 km\"]\n",
    );
    for (i, t) in threats.iter().enumerate() {
        text.push_str(&format!(
            "\n[[raid]]\nid = \"r{i}\"\nthreat = \"{t}\"\ncount = 1\nfrom = [\"l\"]\nend = \"1 h\"\n"
        ));
    }
    for (i, e) in effectors.iter().enumerate() {
        text.push_str(&format!(
            "\n[[effector]]\nid = \"e{i}\"\nclass = \"{e}\"\nposition = [\"1 km\", \"1 km\"]\n"
        ));
    }
    let checked = check_bytes(text.as_bytes());
    let rendered: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| d.render("all.toml"))
        .collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    let s = checked.scenario.expect("valid");
    assert_eq!(s.threats.len(), threats.len());
    assert_eq!(s.effectors.len(), effectors.len());
}

#[test]
fn catalogue_md_documents_every_class() {
    let doc = crate::read("docs/catalogue.md");
    for id in catalogue_ids("threat")
        .iter()
        .chain(&catalogue_ids("effector"))
    {
        assert!(
            doc.contains(&format!("`{id}`")),
            "docs/catalogue.md does not document `{id}`"
        );
    }
}

#[test]
fn scenario_md_documents_every_key() {
    let doc = crate::read("docs/scenario.md");
    let mut missing = Vec::new();
    for table in spec::all_tables() {
        for key in table.keys {
            if !doc.contains(&format!("`{}`", key.name)) {
                missing.push(format!("{}.{}", table.name, key.name));
            }
        }
    }
    assert!(missing.is_empty(), "docs/scenario.md lacks: {missing:?}");
}

#[test]
fn campaign_md_documents_every_key() {
    use rampart_model::campaign;
    let doc = crate::read("docs/campaign.md");
    let mut missing = Vec::new();
    for table in [
        &campaign::ROOT,
        &campaign::CAMPAIGN,
        &campaign::ATTACKER,
        &campaign::RAIDS,
        &campaign::STRIKE,
        &campaign::SURGE,
        &campaign::DEFENDER,
        &campaign::DELIVERY,
        &campaign::REPAIR,
        &campaign::LOSSES,
    ] {
        for key in table.keys {
            if !doc.contains(&format!("`{}`", key.name)) {
                missing.push(format!("{}.{}", table.name, key.name));
            }
        }
    }
    assert!(missing.is_empty(), "docs/campaign.md lacks: {missing:?}");
}
