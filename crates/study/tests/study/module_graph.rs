//! Architecture Invariant: no module of `study` imports a module that
//! imports it back (read from the sources: `crate::MODULE` paths).

use std::collections::BTreeSet;

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut edges = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        let Some(module) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if module == "lib" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        for (k, _) in text.match_indices("crate::") {
            let used: String = text[k + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !used.is_empty() && used != module {
                edges.insert((module.to_string(), used));
            }
        }
    }
    assert!(edges.len() > 10, "read the sources: {edges:?}");
    let cycles: Vec<_> = edges
        .iter()
        .filter(|(a, b)| edges.contains(&(b.clone(), a.clone())))
        .collect();
    assert!(
        cycles.is_empty(),
        "modules importing each other: {cycles:?}"
    );
}
