//! Reports and exports of the example night, checked against readers and
//! formulas we did not write: the geojson crate's parser, the haversine
//! distance, and the engine's own `--json` summary.

use rampart_engine::{GreedyWta, Night};
use rampart_report::{Replay, geo, html};

fn replay(example: &str, seed: u64) -> Replay {
    let path = format!("{}/../../examples/{example}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("example");
    let scenario = rampart_model::parse_scenario(&text).expect("valid");
    let night = Night::assemble(&scenario, seed);
    let outcome = rampart_engine::run(&night, &GreedyWta);
    Replay::new(&night, &outcome)
}

/// Great-circle distance on the sphere of `geo::EARTH_RADIUS`, m.
fn haversine(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dla = la2 - la1;
    let dlo = (b[0] - a[0]).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * geo::EARTH_RADIUS * h.sqrt().asin()
}

#[test]
fn the_geojson_export_is_valid_geojson_with_every_track() {
    let r = replay("night-raid.toml", 20250709);
    let text = geo::geojson(&r).expect("night-raid has an origin");
    let parsed: geojson::GeoJson = text.parse().expect("valid GeoJSON");
    let geojson::GeoJson::FeatureCollection(fc) = parsed else {
        panic!("not a FeatureCollection");
    };
    let layer = |f: &geojson::Feature| {
        f.property("layer")
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .expect("layer")
    };
    let mut tracks = 0;
    let mut outlines = 0;
    for f in &fc.features {
        let g = f.geometry.as_ref().expect("every feature has a geometry");
        let positions: Vec<Vec<f64>> = match &g.value {
            geojson::GeometryValue::Point { coordinates } => vec![coordinates.as_slice().to_vec()],
            geojson::GeometryValue::LineString { coordinates } => {
                tracks += 1;
                assert!(
                    coordinates.len() >= 2,
                    "RFC 7946 3.1.4: two or more positions"
                );
                coordinates.iter().map(|p| p.as_slice().to_vec()).collect()
            }
            geojson::GeometryValue::Polygon { coordinates } => {
                let ring = &coordinates[0];
                assert!(
                    ring.len() >= 4,
                    "RFC 7946 3.1.6: a closed ring of four or more"
                );
                assert_eq!(ring.first(), ring.last(), "the ring is closed");
                // Counterclockwise: positive signed area (shoelace).
                let area: f64 = ring
                    .windows(2)
                    .map(|w| {
                        w[0].as_slice()[0] * w[1].as_slice()[1]
                            - w[1].as_slice()[0] * w[0].as_slice()[1]
                    })
                    .sum();
                assert!(area > 0.0, "exterior rings follow the right-hand rule");
                outlines += 1;
                ring.iter().map(|p| p.as_slice().to_vec()).collect()
            }
            other => panic!("unexpected geometry {other:?}"),
        };
        for p in positions {
            assert_eq!(p.len(), 2);
            assert!(
                (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1]),
                "{p:?}"
            );
        }
        assert!(
            ["asset", "sensor", "effector", "track", "fate", "outline"]
                .contains(&layer(f).as_str())
        );
    }
    assert_eq!(tracks as u64, r.summary.threats_launched);
    assert_eq!(outlines, 1, "night-raid outlines its city");
    // RFC 7946: no "crs" member; longitude first. An asset's distance from
    // the origin on the Earth equals its distance on the scenario's plane.
    assert!(!text.contains("\"crs\""));
    let origin = r.origin.expect("origin");
    for a in &r.assets {
        let ll = geo::lon_lat(origin, a.at);
        let flat = a.at[0].hypot(a.at[1]);
        let sphere = haversine([origin[1], origin[0]], ll);
        assert!(
            (sphere - flat).abs() <= 0.002 * flat + 0.05,
            "{}: {sphere} vs {flat}",
            a.id
        );
    }
}

#[test]
fn exports_need_a_geodetic_origin() {
    let r = replay("minimal.toml", 1);
    for err in [
        geo::geojson(&r).expect_err("no origin"),
        geo::kml(&r).expect_err("no origin"),
    ] {
        let message = err.to_string();
        assert!(
            message.contains("has no geodetic origin") && message.contains("origin = {"),
            "{message}"
        );
    }
}

#[test]
fn the_kml_export_has_a_placemark_for_every_thing() {
    let r = replay("night-raid.toml", 20250709);
    let text = geo::kml(&r).expect("kml");
    assert!(text.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">"
    ));
    let outline = usize::from(!r.outline.is_empty());
    let n = r.assets.len() + r.sensors.len() + r.effectors.len() + r.threats.len() + outline;
    assert_eq!(text.matches("<Placemark>").count(), n);
    assert_eq!(text.matches("</Placemark>").count(), n);
    assert_eq!(text.matches("<LineString>").count(), r.threats.len());
}

#[test]
fn the_night_report_shows_the_numbers_of_the_summary() {
    let r = replay("night-raid.toml", 20250709);
    let page = html::night_report(&r);
    let summary = serde_json::to_value(&r.summary).expect("json");
    let shown = html::shown_numbers(&page);
    assert!(shown.len() > 30, "{} numbers", shown.len());
    for (path, value) in &shown {
        let want = summary
            .pointer(path)
            .unwrap_or_else(|| panic!("{path} is not in the summary"));
        // The same text as the summary's JSON (so the same number, to the bit).
        assert_eq!(*value, want.to_string(), "{path}");
    }
    for path in [
        "/leakers",
        "/threats_launched",
        "/defender_cost",
        "/cost_exchange_ratio",
        "/by_fate/killed",
    ] {
        assert!(shown.iter().any(|(p, _)| p == path), "{path} not shown");
    }
    // Self-contained: no script, no external resource.
    assert!(!page.contains("<script"));
    for needle in ["src=", "href=", "url(http", "@import"] {
        assert!(!page.contains(needle), "{needle}");
    }
}

#[test]
fn the_timeline_ends_with_the_summary_counts() {
    let r = replay("night-raid.toml", 20250709);
    let line = r.timeline(100);
    let last = line.last().expect("samples");
    let f = &r.summary.by_fate;
    let [airborne, _, neutralised, leaked] = last.1;
    assert_eq!(neutralised, f.killed + f.jammed);
    assert_eq!(leaked, r.summary.leakers);
    assert_eq!(airborne, f.airborne);
    // Engaged, neutralised and leaked only grow.
    assert!(
        line.windows(2)
            .all(|w| (1..4).all(|k| w[0].1[k] <= w[1].1[k]))
    );
}

#[test]
fn exports_wrap_the_antimeridian_and_refuse_polar_origins() {
    let mut r = replay("night-raid.toml", 20250709);
    r.origin = Some([10.0, 179.99]);
    let text = geo::geojson(&r).expect("geojson");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut lons = Vec::new();
    for f in parsed["features"].as_array().expect("features") {
        let c = &f["geometry"]["coordinates"];
        let mut stack = vec![c];
        while let Some(v) = stack.pop() {
            match v.as_array() {
                Some(a) if a.first().is_some_and(serde_json::Value::is_number) => {
                    lons.push(a[0].as_f64().expect("lon"));
                }
                Some(a) => stack.extend(a.iter()),
                None => {}
            }
        }
    }
    assert!(lons.iter().all(|l| (-180.0..180.0).contains(l)));
    assert!(
        lons.iter().any(|&l| l < 0.0),
        "some positions lie past the antimeridian"
    );
    r.origin = Some([88.0, 0.0]);
    let err = geo::kml(&r).expect_err("polar");
    assert!(err.to_string().contains("within 85 degrees"), "{err}");
}

#[test]
fn the_leakers_by_asset_kind_add_up_to_the_leakers() {
    let r = replay("night-raid.toml", 20250709);
    let page = html::night_report(&r);
    let section = page
        .split("<h2>Leakers and damage by asset kind</h2>")
        .nth(1)
        .and_then(|s| s.split("</table>").next())
        .expect("section");
    let sum: u64 = section
        .split("<tr><td>")
        .skip(1)
        .map(|row| {
            let cell = row.split("</td><td>").nth(1).expect("second cell");
            let count = cell.split("</td>").next().expect("cell");
            count.parse::<u64>().expect("a count")
        })
        .sum();
    assert_eq!(sum, r.summary.leakers);
}

/// Regression: hit assets turned orange (damaged) or red (destroyed) on the
/// night's map with no legend entry for either colour.
#[test]
fn the_legend_names_the_colours_of_damaged_assets() {
    let r = replay("night-raid.toml", 20250709);
    let legend = rampart_report::html::map_legend(&r, rampart_report::html::MapView::Night);
    let damaged = r.assets.iter().any(|a| a.damage > 0.0 && a.damage < 0.999);
    let destroyed = r.assets.iter().any(|a| a.damage >= 0.999);
    assert!(damaged || destroyed, "the night hits something");
    assert_eq!(legend.contains("asset damaged"), damaged, "{legend}");
    assert_eq!(legend.contains("asset destroyed"), destroyed, "{legend}");
}

/// Regression: asset labels overlapped into an unreadable block in the city
/// centre, and a label at the right edge ran off the map.
/// Read back from the SVG: no two labels overlap, none leaves the map, and
/// the most valuable asset keeps its label.
#[test]
fn asset_labels_never_overlap_nor_leave_the_map() {
    use rampart_report::html::{MapView, label_width, map_svg};
    let r = replay("night-raid.toml", 20250709);
    for view in [MapView::Scenario, MapView::Night] {
        let svg = map_svg(&r, view);
        let width: f64 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("a width");
        let mut boxes: Vec<(String, f64, f64, f64, f64)> = Vec::new();
        for part in svg.split("<text x=\"").skip(1) {
            let (attrs, rest) = part.split_once('>').expect("a text element");
            let label = rest.split('<').next().unwrap_or("");
            let Some(asset) = r.assets.iter().find(|a| a.id == label) else {
                continue;
            };
            let nums: Vec<f64> = attrs.split('"').filter_map(|s| s.parse().ok()).collect();
            let (x, y) = (nums[0], nums[1]);
            let w = label_width(asset.id.chars().count());
            let (x0, x1) = if attrs.contains("text-anchor=\"end\"") {
                (x - w, x)
            } else {
                (x, x + w)
            };
            boxes.push((asset.id.clone(), x0, x1, y - 8.0, y + 2.0));
        }
        assert!(!boxes.is_empty(), "{view:?}: no labels");
        let top = r
            .assets
            .iter()
            .max_by(|a, b| a.value.total_cmp(&b.value).then_with(|| b.id.cmp(&a.id)))
            .expect("assets");
        assert!(
            boxes.iter().any(|b| b.0 == top.id),
            "{view:?}: {} unlabelled",
            top.id
        );
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.1 >= 0.0 && a.2 <= width,
                "{view:?}: {} leaves the map",
                a.0
            );
            for b in &boxes[i + 1..] {
                let overlap = a.1 < b.2 && b.1 < a.2 && a.3 < b.4 && b.3 < a.4;
                assert!(!overlap, "{view:?}: labels {} and {} overlap", a.0, b.0);
            }
        }
    }
}
