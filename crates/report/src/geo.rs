//! Tracks and fates as GeoJSON (RFC 7946) and KML 2.2, for QGIS and Google
//! Earth. Local positions (metres east and north of the scenario's origin)
//! become longitude and latitude on a sphere of the mean Earth radius, by
//! the local tangent-plane approximation: within 150 km of the origin its
//! error is below 0.2%, far less than any position in a scenario.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::replay::Replay;

/// Mean Earth radius (IUGG), m.
pub const EARTH_RADIUS: f64 = 6_371_008.8;

/// Origins closer to a pole than this are refused: the tangent plane
/// stretches longitudes without bound there.
pub const MAX_ORIGIN_LATITUDE: f64 = 85.0;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ExportError {
    #[error(
        "scenario `{scenario}` has no geodetic origin, so its positions cannot be placed on the Earth; add `origin = {{ lat = ..., lon = ... }}` to its [scenario] table"
    )]
    NoOrigin { scenario: String },
    #[error(
        "scenario `{scenario}` has its origin at latitude {lat}; exports need an origin within {MAX_ORIGIN_LATITUDE} degrees of the equator"
    )]
    PolarOrigin { scenario: String, lat: f64 },
}

/// `[lon, lat]` in degrees of a local point `[east, north]` in metres.
pub fn lon_lat(origin: [f64; 2], at: [f64; 2]) -> [f64; 2] {
    let [lat0, lon0] = origin;
    let lat = lat0 + (at[1] / EARTH_RADIUS).to_degrees();
    let lon = lon0 + (at[0] / (EARTH_RADIUS * lat0.to_radians().cos())).to_degrees();
    // Longitudes wrap at the antimeridian: [-180, 180).
    let lon = (lon + 180.0).rem_euclid(360.0) - 180.0;
    [round7(lon), round7(lat)]
}

fn round7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

fn origin(r: &Replay) -> Result<[f64; 2], ExportError> {
    let o = r.origin.ok_or_else(|| ExportError::NoOrigin {
        scenario: r.scenario.clone(),
    })?;
    if o[0].abs() > MAX_ORIGIN_LATITUDE {
        return Err(ExportError::PolarOrigin {
            scenario: r.scenario.clone(),
            lat: o[0],
        });
    }
    Ok(o)
}

/// A track's positions: at least two, as a LineString needs.
fn track(o: [f64; 2], path: &[[f64; 3]]) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = path.iter().map(|p| lon_lat(o, [p[1], p[2]])).collect();
    if out.len() == 1 {
        out.push(out[0]);
    }
    out
}

/// The outline as a closed linear ring, counterclockwise (RFC 7946 3.1.6:
/// exterior rings follow the right-hand rule); `None` for fewer than three
/// distinct positions.
fn ring(o: [f64; 2], outline: &[[f64; 2]]) -> Option<Vec<[f64; 2]>> {
    let mut ring: Vec<[f64; 2]> = outline.iter().map(|p| lon_lat(o, *p)).collect();
    ring.dedup();
    if ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 3 {
        return None;
    }
    let twice_area: f64 = (0..ring.len())
        .map(|k| {
            let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    if twice_area < 0.0 {
        ring.reverse();
    }
    ring.push(ring[0]);
    Some(ring)
}

/// The night as a GeoJSON FeatureCollection: assets, sensors and effectors
/// as points, every threat's track as a line with its fate, and the point
/// where each flight ended.
pub fn geojson(r: &Replay) -> Result<String, ExportError> {
    let o = origin(r)?;
    let mut features = Vec::new();
    let point = |at: [f64; 2], props: Value| json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": lon_lat(o, at)}, "properties": props});
    if let Some(ring) = ring(o, &r.outline) {
        features.push(json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]}, "properties": {"layer": "outline", "name": r.scenario}}));
    }
    for a in &r.assets {
        features.push(point(
            a.at,
            json!({"layer": "asset", "id": a.id, "name": a.name, "kind": a.kind, "value": a.value, "damage": a.damage}),
        ));
    }
    for s in &r.sensors {
        features.push(point(
            s.at,
            json!({"layer": "sensor", "id": s.id, "kind": s.kind, "range_m": s.range}),
        ));
    }
    for e in &r.effectors {
        features.push(point(
            e.at,
            json!({"layer": "effector", "id": e.id, "kind": e.kind, "class": e.class, "min_range_m": e.min_range, "max_range_m": e.max_range, "magazine": e.magazine}),
        ));
    }
    for t in &r.threats {
        let props = json!({
            "layer": "track", "threat": t.id, "class": t.class, "kind": t.kind, "raid": t.raid,
            "target": t.target, "fate": t.fate, "launch_s": t.launch as f64 / 1000.0,
            "end_s": t.end as f64 / 1000.0, "by": t.by.map(|e| r.effectors[e].id.clone()),
        });
        features.push(json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": track(o, &t.path)}, "properties": props}));
    }
    for t in &r.threats {
        features.push(point(
            t.end_at,
            json!({"layer": "fate", "threat": t.id, "fate": t.fate, "time_s": t.end as f64 / 1000.0}),
        ));
    }
    let doc = json!({"type": "FeatureCollection", "name": r.scenario, "features": features});
    Ok(serde_json::to_string(&doc).unwrap_or_default())
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// KML `<coordinates>` text: `lon,lat,0` tuples.
fn kml_coordinates(positions: &[[f64; 2]]) -> String {
    positions
        .iter()
        .map(|[lon, lat]| format!("{lon},{lat},0"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// KML colours are aabbggrr.
const FATE_STYLES: [(&str, &str); 7] = [
    ("killed", "ff2ca02c"),
    ("jammed", "ffbd6d00"),
    ("leaked_hit", "ff2827d6"),
    ("leaked_missed", "ff0e7fff"),
    ("decoy_expired", "ff7f7f7f"),
    ("fell_short", "ffbd27ff"),
    ("airborne", "ff000000"),
];

/// The night as KML 2.2: folders of assets, sensors, effectors, and tracks
/// styled by fate.
pub fn kml(r: &Replay) -> Result<String, ExportError> {
    let o = origin(r)?;
    let mut s = String::new();
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>{}</name>\n",
        xml(&r.scenario)
    );
    for (fate, colour) in FATE_STYLES {
        let _ = writeln!(
            s,
            "<Style id=\"{fate}\"><LineStyle><color>{colour}</color><width>2</width></LineStyle><IconStyle><color>{colour}</color></IconStyle></Style>"
        );
    }
    let placemark = |s: &mut String, name: &str, description: &str, at: [f64; 2]| {
        let [lon, lat] = lon_lat(o, at);
        let _ = writeln!(
            s,
            "<Placemark><name>{}</name><description>{}</description><Point><coordinates>{lon},{lat},0</coordinates></Point></Placemark>",
            xml(name),
            xml(description)
        );
    };
    if let Some(ring) = ring(o, &r.outline) {
        let _ = writeln!(
            s,
            "<Placemark><name>{}</name><description>outline</description><Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>{}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
            xml(&r.scenario),
            kml_coordinates(&ring)
        );
    }
    s.push_str("<Folder><name>Assets</name>\n");
    for a in &r.assets {
        let d = format!(
            "{} ({}), value {}, damage {:.2}",
            a.name, a.kind, a.value, a.damage
        );
        placemark(&mut s, &a.id, &d, a.at);
    }
    s.push_str("</Folder>\n<Folder><name>Sensors</name>\n");
    for x in &r.sensors {
        let d = format!("{}, range {:.0} m", x.kind, x.range);
        placemark(&mut s, &x.id, &d, x.at);
    }
    s.push_str("</Folder>\n<Folder><name>Effectors</name>\n");
    for e in &r.effectors {
        let d = format!("{}, {:.0} to {:.0} m", e.kind, e.min_range, e.max_range);
        placemark(&mut s, &e.id, &d, e.at);
    }
    s.push_str("</Folder>\n<Folder><name>Tracks</name>\n");
    for t in &r.threats {
        let _ = writeln!(
            s,
            "<Placemark><name>{} #{}</name><description>{}: launched {:.0} s, ended {:.0} s, target {}</description><styleUrl>#{}</styleUrl><LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString></Placemark>",
            xml(&t.class),
            t.id,
            t.fate,
            t.launch as f64 / 1000.0,
            t.end as f64 / 1000.0,
            xml(&t.target),
            t.fate,
            kml_coordinates(&track(o, &t.path))
        );
    }
    s.push_str("</Folder>\n</Document>\n</kml>\n");
    Ok(s)
}
