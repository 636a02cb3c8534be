//! From text to a validated [`Scenario`]: syntax, types, units, then cross-checks.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, DiagnosticKind, suggest};
use crate::read::{Cx, Sign, Span, Tbl, read_choice, respan, to_map};
use crate::scenario::*;
use crate::spec;
use crate::units::Dimension;

/// Scenario files larger than this are refused (a clear error, not an out-of-memory).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// At most this many syntax errors are reported.
const MAX_SYNTAX_ERRORS: usize = 10;

/// The built-in catalogue, as TOML text.
pub const CATALOGUE_TOML: &str = include_str!("catalogue.toml");

/// What checking a scenario found: the scenario when it is valid, and every
/// diagnostic (errors and warnings) in file order.
#[derive(Debug, Clone)]
pub struct Checked {
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
    }

    pub fn is_valid(&self) -> bool {
        self.scenario.is_some()
    }
}

/// A scenario that failed to load, with every problem found.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the scenario has {} error(s); first: {}", .diagnostics.len(), .diagnostics.first().map(|d| d.to_string()).unwrap_or_default())]
pub struct ScenarioError {
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates scenario text. Never panics, whatever the input.
pub fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    let checked = check_bytes(text.as_bytes());
    match checked.scenario {
        Some(s) => Ok(s),
        None => Err(ScenarioError {
            diagnostics: checked.errors().cloned().collect(),
        }),
    }
}

/// Checks raw bytes: size, encoding, syntax, types, units and cross-references.
pub fn check_bytes(bytes: &[u8]) -> Checked {
    if bytes.len() > MAX_FILE_BYTES {
        let mut cx = Cx::new("");
        cx.error(
            0..0,
            "",
            DiagnosticKind::TooLarge {
                size: bytes.len(),
                limit: MAX_FILE_BYTES,
            },
        );
        return finish(cx, None);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.valid_up_to();
            // Safe: the prefix up to valid_up_to is valid UTF-8.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let mut cx = Cx::new(prefix);
            cx.error(
                good..good,
                "",
                DiagnosticKind::NotUtf8 { byte: bytes[good] },
            );
            return finish(cx, None);
        }
    };
    check_text(text)
}

fn check_text(text: &str) -> Checked {
    let mut cx = Cx::new(text);
    if text.trim().is_empty() {
        cx.error(0..0, "", DiagnosticKind::Empty);
        return finish(cx, None);
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        // Recovery after a syntax error cascades: keep the first error of each
        // line, and at most MAX_SYNTAX_ERRORS.
        let mut lines: Vec<usize> = Vec::new();
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            let line = cx.line_of(&span);
            if lines.contains(&line) {
                continue;
            }
            if lines.len() == MAX_SYNTAX_ERRORS {
                break;
            }
            lines.push(line);
            cx.error(
                span,
                "",
                DiagnosticKind::Syntax {
                    message: e.message().trim().to_string(),
                },
            );
        }
        return finish(cx, None);
    }
    let catalogue_root = match DeTable::parse(CATALOGUE_TOML) {
        Ok(t) => t,
        Err(e) => unreachable!("the built-in catalogue is valid TOML (tested): {e}"),
    };
    let catalogue = RawCatalogue::new(catalogue_root.get_ref());
    let scenario = Decoder::new(&mut cx, &catalogue).root(root.get_ref());
    let has_errors = cx
        .diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    finish(cx, if has_errors { None } else { scenario })
}

fn finish(cx: Cx<'_>, scenario: Option<Scenario>) -> Checked {
    let mut diagnostics = cx.diags;
    diagnostics.sort_by_key(|d| (d.location.line, d.location.column));
    Checked {
        scenario,
        diagnostics,
    }
}

/// The catalogue's raw tables, by id, for merging under a scenario's overrides.
struct RawCatalogue<'c> {
    threats: Vec<(&'c str, &'c DeTable<'static>)>,
    effectors: Vec<(&'c str, &'c DeTable<'static>)>,
}

impl<'c> RawCatalogue<'c> {
    fn new(root: &'c DeTable<'static>) -> Self {
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

    fn threat(&self, id: &str) -> Option<&'c DeTable<'static>> {
        self.threats.iter().find(|(i, _)| *i == id).map(|(_, t)| *t)
    }

    fn effector(&self, id: &str) -> Option<&'c DeTable<'static>> {
        self.effectors
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| *t)
    }
}

/// Ids the file names, with where, for dangling-reference checks.
#[derive(Debug)]
struct Ref {
    what: RefKind,
    id: String,
    span: Span,
    path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RefKind {
    /// A threat class to launch: a declared id or a catalogue class.
    ThreatClass,
    /// A threat kind, declared id or catalogue class, in pk, engages, fire rules.
    ThreatSet,
    LaunchSite,
    Asset,
    /// An effector kind, catalogue class or declaration id.
    EffectorSet,
}

struct Decoder<'x, 's, 'c> {
    cx: &'x mut Cx<'s>,
    catalogue: &'c RawCatalogue<'c>,
    refs: Vec<Ref>,
    /// Declared ids per namespace, with the span of their definition.
    ids: BTreeMap<&'static str, Vec<(String, Span)>>,
    duration: Option<Millis>,
    /// Effector declarations: (id, span, units made).
    effector_groups: Vec<(String, Span, String, usize)>,
    /// Raid target selections: (raid id, span of `target`, path).
    raid_targets: Vec<(String, Span, String)>,
    /// Dangling references found: later checks that would only echo them are skipped.
    dangling: usize,
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    fn new(cx: &'x mut Cx<'s>, catalogue: &'c RawCatalogue<'c>) -> Self {
        Decoder {
            cx,
            catalogue,
            refs: Vec::new(),
            ids: BTreeMap::new(),
            duration: None,
            effector_groups: Vec::new(),
            raid_targets: Vec::new(),
            dangling: 0,
        }
    }

    fn refer(&mut self, what: RefKind, id: String, span: Span, path: String) {
        self.refs.push(Ref {
            what,
            id,
            span,
            path,
        });
    }

    /// Reads and registers an id, reporting bad and duplicate ids.
    fn id(&mut self, t: &Tbl<'_, '_>, what: &'static str) -> Option<String> {
        let id = {
            let v = t.string(self.cx, "id");
            t.need(self.cx, "id", v)
        }?;
        let span = t.span_of("id");
        if !is_valid_id(&id) {
            self.cx
                .error(span.clone(), t.key_path("id"), DiagnosticKind::BadId { id });
            return None;
        }
        let list = self.ids.entry(what).or_default();
        if let Some((_, first)) = list.iter().find(|(i, _)| *i == id) {
            let first_line = self.cx.line_of(first);
            self.cx.error(
                span,
                t.key_path("id"),
                DiagnosticKind::DuplicateId {
                    what,
                    id: id.clone(),
                    first_line,
                },
            );
            return None;
        }
        list.push((id.clone(), span));
        Some(id)
    }

    fn declared(&self, what: &'static str) -> Vec<String> {
        self.ids
            .get(what)
            .map(|v| v.iter().map(|(i, _)| i.clone()).collect())
            .unwrap_or_default()
    }

    fn root(mut self, root: &DeTable<'_>) -> Option<Scenario> {
        let t = Tbl::from_table(self.cx, root, 0..0, String::new(), &spec::ROOT);
        let header = self.scenario_header(&t);
        let tracking = self.tracking(&t);
        let declared_threats: Vec<ThreatClass> = t
            .tables(self.cx, "threat", &spec::THREAT)
            .iter()
            .filter_map(|x| self.threat(x))
            .collect();
        let launch_sites: Vec<LaunchSite> = t
            .tables(self.cx, "launch_site", &spec::LAUNCH_SITE)
            .iter()
            .filter_map(|x| self.launch_site(x))
            .collect();
        let assets: Vec<Asset> = t
            .tables(self.cx, "asset", &spec::ASSET)
            .iter()
            .filter_map(|x| self.asset(x))
            .collect();
        let sensors: Vec<Sensor> = t
            .tables(self.cx, "sensor", &spec::SENSOR)
            .iter()
            .filter_map(|x| self.sensor(x))
            .flatten()
            .collect();
        let effectors: Vec<Effector> = t
            .tables(self.cx, "effector", &spec::EFFECTOR)
            .iter()
            .filter_map(|x| self.effector(x))
            .flatten()
            .collect();
        let raids: Vec<Raid> = t
            .tables(self.cx, "raid", &spec::RAID)
            .iter()
            .filter_map(|x| self.raid(x))
            .collect();
        let doctrine = match t.table(self.cx, "doctrine", &spec::DOCTRINE) {
            Some(d) => self.doctrine(&d),
            None if t.has("doctrine") => None,
            None => Some(default_doctrine()),
        };
        if assets.is_empty() && !t.has("asset") {
            self.cx.error(
                0..0,
                "asset",
                DiagnosticKind::MissingKey {
                    key: "asset".into(),
                    hint: Some("a scenario needs at least one [[asset]] to protect".into()),
                },
            );
        }
        if sensors.is_empty() && !raids.is_empty() && !t.has("sensor") {
            self.cx.warning(
                0..0,
                "sensor",
                DiagnosticKind::Inconsistent {
                    message:
                        "no sensors: no threat will ever be tracked or engaged (jammers still act)"
                            .into(),
                    hint: Some("add a [[sensor]] of type radar, acoustic or visual".into()),
                },
            );
        }
        let threats = self.resolve_threats(declared_threats, &raids);
        self.check_refs();
        self.check_targets(&t, &assets, &raids);
        self.check_effectors_useful(&effectors, &threats, &raids);
        let (name, description, seed, duration, origin) = header?;
        Some(Scenario {
            name,
            description,
            seed,
            duration,
            origin,
            tracking: tracking?,
            assets,
            sensors,
            effectors,
            threats,
            launch_sites,
            raids,
            doctrine: doctrine?,
        })
    }

    #[allow(clippy::type_complexity)]
    fn scenario_header(
        &mut self,
        root: &Tbl<'_, '_>,
    ) -> Option<(String, Option<String>, u64, Millis, Option<GeoOrigin>)> {
        let Some(t) = root.table(self.cx, "scenario", &spec::SCENARIO) else {
            if !root.has("scenario") {
                root.missing(
                    self.cx,
                    "scenario",
                    Some("start the file with a [scenario] table: name and duration".into()),
                );
            }
            return None;
        };
        let name = {
            let v = t.string(self.cx, "name");
            t.need(self.cx, "name", v)
        };
        let description = t.string(self.cx, "description");
        let seed = t.integer(self.cx, "seed", 0, i64::MAX).unwrap_or(1) as u64;
        let duration = {
            let v = t.millis(self.cx, "duration", Sign::Positive);
            t.need(self.cx, "duration", v)
        };
        self.duration = duration;
        let origin = t.table(self.cx, "origin", &spec::ORIGIN).and_then(|o| {
            let lat = {
                let v = o.number(self.cx, "lat", -90.0, 90.0);
                o.need(self.cx, "lat", v)
            };
            let lon = {
                let v = o.number(self.cx, "lon", -180.0, 180.0);
                o.need(self.cx, "lon", v)
            };
            Some(GeoOrigin {
                lat: lat?,
                lon: lon?,
            })
        });
        if t.has("origin") && origin.is_none() {
            return None;
        }
        Some((name?, description, seed, duration?, origin))
    }

    fn tracking(&mut self, root: &Tbl<'_, '_>) -> Option<TrackInitiation> {
        let Some(t) = root.table(self.cx, "tracking", &spec::TRACKING) else {
            return (!root.has("tracking")).then_some(TrackInitiation { k: 2, n: 3 });
        };
        let k = t.count(self.cx, "k", 1);
        let n = t.count(self.cx, "n", 1);
        let (k, n) = (
            if t.has("k") { k? } else { 2 },
            if t.has("n") {
                n?
            } else {
                3.max(k.unwrap_or(2))
            },
        );
        if k > n {
            self.cx.inconsistent(
                t.span_of("k"),
                t.key_path("k"),
                format!("k = {k} detections cannot happen within n = {n} scans; expected k <= n"),
            );
            return None;
        }
        Some(TrackInitiation { k, n })
    }

    /// A table merged over its catalogue class, when it names one.
    fn with_class<'i>(
        &mut self,
        t: &Tbl<'_, 'i>,
        find: fn(&RawCatalogue<'c>, &str) -> Option<&'c DeTable<'static>>,
        ids: fn(&RawCatalogue<'c>) -> Vec<&'c str>,
    ) -> Result<Option<(String, DeTable<'i>)>, ()> {
        let Some(class) = t.string(self.cx, "class") else {
            return if t.has("class") { Err(()) } else { Ok(None) };
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
            return Err(());
        };
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
        Ok(Some((class, merged)))
    }

    fn threat(&mut self, raw: &Tbl<'_, '_>) -> Option<ThreatClass> {
        let id = self.id(raw, "threat");
        let merged = self
            .with_class(raw, RawCatalogue::threat, |c| {
                c.threats.iter().map(|(i, _)| *i).collect()
            })
            .ok()?;
        let (class, table) = match merged {
            Some((c, m)) => (Some(c), Some(m)),
            None => (None, None),
        };
        let t = match &table {
            Some(m) => Tbl::trusted(m, raw.span.clone(), raw.path.clone(), &spec::THREAT),
            None => Tbl::trusted(raw.table, raw.span.clone(), raw.path.clone(), &spec::THREAT),
        };
        self.threat_fields(&t, id?, class)
    }

    fn threat_fields(
        &mut self,
        t: &Tbl<'_, '_>,
        id: String,
        class: Option<String>,
    ) -> Option<ThreatClass> {
        let cx = &mut *self.cx;
        let hint = || Some("give it, or name a catalogue class with `class = ...`".to_string());
        let kind = t.choice(cx, "kind", ThreatKind::parse, ThreatKind::NAMES);
        if kind.is_none() && !t.has("kind") {
            t.missing(cx, "kind", hint());
        }
        let mut need = |key: &str, dim: Dimension, sign: Sign| {
            let v = t.quantity_signed(cx, key, dim, sign);
            if v.is_none() && !t.has(key) {
                t.missing(cx, key, hint());
            }
            v
        };
        let speed = need("speed", Dimension::Speed, Sign::Positive);
        let altitude = need("altitude", Dimension::Length, Sign::NonNegative);
        let rcs = need("rcs", Dimension::Area, Sign::Positive);
        let warhead = need("warhead", Dimension::Mass, Sign::NonNegative);
        let unit_cost = need("unit_cost", Dimension::Money, Sign::NonNegative);
        let accuracy = need("accuracy", Dimension::Length, Sign::NonNegative);
        let guidance = t.choice(cx, "guidance", Guidance::parse, Guidance::NAMES);
        if guidance.is_none() && !t.has("guidance") {
            t.missing(cx, "guidance", hint());
        }
        let decoy = t.boolean(cx, "decoy");
        let endurance = t.millis(cx, "endurance", Sign::Positive);
        if t.has("endurance") && endurance.is_none() {
            return None;
        }
        let kind = kind?;
        let decoy = match decoy {
            Some(d) => d,
            None if t.has("decoy") => return None,
            None => kind == ThreatKind::Decoy,
        };
        if decoy && warhead.is_some_and(|w| w > 0.0) {
            cx.warning(
                t.span_of("warhead"),
                t.key_path("warhead"),
                DiagnosticKind::Inconsistent {
                    message:
                        "a decoy with a warhead: decoys do no damage, so the warhead is ignored"
                            .into(),
                    hint: Some(
                        "set warhead = \"0 kg\", or decoy = false for an armed drone".into(),
                    ),
                },
            );
        }
        Some(ThreatClass {
            id,
            class,
            kind,
            speed: speed?,
            altitude: altitude?,
            rcs: rcs?,
            warhead: warhead?,
            unit_cost: unit_cost?,
            guidance: guidance?,
            accuracy: accuracy?,
            decoy,
            endurance,
        })
    }

    fn launch_site(&mut self, t: &Tbl<'_, '_>) -> Option<LaunchSite> {
        let id = self.id(t, "launch site");
        let position = {
            let v = t.point(self.cx, "position");
            t.need(self.cx, "position", v)
        };
        Some(LaunchSite {
            id: id?,
            position: position?,
        })
    }

    fn asset(&mut self, t: &Tbl<'_, '_>) -> Option<Asset> {
        let id = self.id(t, "asset");
        let cx = &mut *self.cx;
        let name = t.string(cx, "name");
        let kind = t.choice(cx, "kind", AssetKind::parse, AssetKind::NAMES);
        let kind = t.need(cx, "kind", kind);
        let position = {
            let v = t.point(cx, "position");
            t.need(cx, "position", v)
        };
        let value = if t.has("value") {
            t.positive(cx, "value")
        } else {
            Some(1.0)
        };
        let hits = t.count(cx, "hits_to_destroy", 1);
        let mass = t.quantity_signed(cx, "destroy_mass", Dimension::Mass, Sign::Positive);
        let hardness = match (t.has("hits_to_destroy"), t.has("destroy_mass")) {
            (true, true) => {
                cx.error(
                    t.span_of("destroy_mass"),
                    t.key_path("destroy_mass"),
                    DiagnosticKind::Inconsistent {
                        message: "give either hits_to_destroy or destroy_mass, not both".into(),
                        hint: Some(
                            "hits_to_destroy counts hits; destroy_mass sums warhead mass".into(),
                        ),
                    },
                );
                None
            }
            (true, false) => hits.map(Hardness::Hits),
            (false, true) => mass.map(Hardness::WarheadMass),
            (false, false) => Some(Hardness::Hits(1)),
        };
        let id = id?;
        Some(Asset {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            kind: kind?,
            position: position?,
            value: value?,
            hardness: hardness?,
        })
    }

    /// Where the units of a declaration stand: `position`, `positions` or `area`, with `count`.
    fn placement(&mut self, t: &Tbl<'_, '_>) -> Option<Vec<Point>> {
        let cx = &mut *self.cx;
        let count = t.count(cx, "count", 1);
        if t.has("count") && count.is_none() {
            return None;
        }
        let given: Vec<&str> = ["position", "positions", "area"]
            .into_iter()
            .filter(|k| t.has(k))
            .collect();
        match given.as_slice() {
            [] => {
                t.missing(
                    cx,
                    "position",
                    Some("give position = [east, north], positions = [[...], ...] or area = { center, radius }".into()),
                );
                None
            }
            ["position"] => {
                let p = t.point(cx, "position")?;
                Some(vec![p; count.unwrap_or(1) as usize])
            }
            ["positions"] => {
                let ps = t.points(cx, "positions")?;
                match count {
                    Some(n) if n as usize != ps.len() => {
                        cx.inconsistent(
                            t.span_of("positions"),
                            t.key_path("positions"),
                            format!("count = {n} but {} positions are listed; expected one position per unit", ps.len()),
                        );
                        None
                    }
                    _ if ps.is_empty() => {
                        cx.inconsistent(
                            t.span_of("positions"),
                            t.key_path("positions"),
                            "positions is empty; expected at least one position".into(),
                        );
                        None
                    }
                    _ => Some(ps),
                }
            }
            ["area"] => {
                let a = t.table(cx, "area", &spec::AREA)?;
                let center = {
                    let v = a.point(cx, "center");
                    a.need(cx, "center", v)
                };
                let radius = a.quantity_signed(cx, "radius", Dimension::Length, Sign::NonNegative);
                let radius = a.need(cx, "radius", radius);
                Some(spread(center?, radius?, count.unwrap_or(1)))
            }
            _ => {
                cx.inconsistent(
                    t.span_of(given[1]),
                    t.key_path(given[1]),
                    format!("give only one of {}", given.join(", ")),
                );
                None
            }
        }
    }

    fn sensor(&mut self, t: &Tbl<'_, '_>) -> Option<Vec<Sensor>> {
        let id = self.id(t, "sensor");
        let points = self.placement(t);
        let cx = &mut *self.cx;
        let kind = t.choice(cx, "type", SensorKind::parse, SensorKind::NAMES);
        let kind = t.need(cx, "type", kind);
        let mast = t.quantity_signed(cx, "mast_height", Dimension::Length, Sign::NonNegative);
        let range = t.quantity_signed(cx, "range", Dimension::Length, Sign::Positive);
        let range = t.need(cx, "range", range);
        let rcs = t.quantity_signed(cx, "reference_rcs", Dimension::Area, Sign::Positive);
        let period = t.millis(cx, "scan_period", Sign::Positive);
        let p = t.probability(cx, "p_detect");
        let p = t.need(cx, "p_detect", p);
        let max_alt = t.quantity_signed(cx, "max_altitude", Dimension::Length, Sign::Positive);
        let kind = kind?;
        if kind != SensorKind::Radar && t.has("reference_rcs") {
            cx.inconsistent(
                t.span_of("reference_rcs"),
                t.key_path("reference_rcs"),
                format!("reference_rcs applies to radars only, and this sensor is {kind}"),
            );
            return None;
        }
        let opt_ok = |key: &str, v: bool| v || !t.has(key);
        if !(opt_ok("mast_height", mast.is_some())
            && opt_ok("reference_rcs", rcs.is_some())
            && opt_ok("scan_period", period.is_some())
            && opt_ok("max_altitude", max_alt.is_some()))
        {
            return None;
        }
        let id = id?;
        let points = points?;
        let max_altitude = max_alt.or(match kind {
            SensorKind::Radar => None,
            _ => Some(3000.0),
        });
        Some(
            unit_ids(&id, points.len())
                .into_iter()
                .zip(points)
                .map(|(uid, position)| Sensor {
                    id: uid,
                    group: id.clone(),
                    kind,
                    position,
                    mast_height: mast.unwrap_or(10.0),
                    range: range.unwrap_or(0.0),
                    reference_rcs: rcs.unwrap_or(1.0),
                    scan_period: period.unwrap_or(10_000),
                    p_detect: p.unwrap_or(0.0),
                    max_altitude,
                })
                .collect(),
        )
    }

    fn effector(&mut self, raw: &Tbl<'_, '_>) -> Option<Vec<Effector>> {
        let id = self.id(raw, "effector");
        let merged = self
            .with_class(raw, RawCatalogue::effector, |c| {
                c.effectors.iter().map(|(i, _)| *i).collect()
            })
            .ok()?;
        let (class, table) = match merged {
            Some((c, m)) => (Some(c), Some(m)),
            None => (None, None),
        };
        let t = match &table {
            Some(m) => Tbl::trusted(m, raw.span.clone(), raw.path.clone(), &spec::EFFECTOR),
            None => Tbl::trusted(
                raw.table,
                raw.span.clone(),
                raw.path.clone(),
                &spec::EFFECTOR,
            ),
        };
        let points = self.placement(&t);
        let kind = t.choice(self.cx, "kind", EffectorKind::parse, EffectorKind::NAMES);
        if kind.is_none() && !t.has("kind") {
            t.missing(
                self.cx,
                "kind",
                Some("give kind, or name a catalogue class with `class = ...`".into()),
            );
        }
        let kind = kind?;
        let role = if kind == EffectorKind::Jammer {
            self.jammer(&t).map(EffectorRole::Jammer)
        } else {
            self.weapon(&t).map(EffectorRole::Shooter)
        };
        let id = id?;
        let points = points?;
        let role = role?;
        self.effector_groups
            .push((id.clone(), t.span.clone(), t.path.clone(), points.len()));
        Some(
            unit_ids(&id, points.len())
                .into_iter()
                .zip(points)
                .map(|(uid, position)| Effector {
                    id: uid,
                    group: id.clone(),
                    class: class.clone(),
                    kind,
                    position,
                    role: role.clone(),
                })
                .collect(),
        )
    }

    fn not_for(&mut self, t: &Tbl<'_, '_>, keys: &[&str], who: &str) -> bool {
        let mut ok = true;
        for key in keys {
            if t.has(key) {
                ok = false;
                self.cx.inconsistent(
                    t.span_of(key),
                    t.key_path(key),
                    format!("`{key}` does not apply to {who}"),
                );
            }
        }
        ok
    }

    fn jammer(&mut self, t: &Tbl<'_, '_>) -> Option<Jammer> {
        const WEAPON_KEYS: &[&str] = &[
            "min_range",
            "max_range",
            "max_altitude",
            "engages",
            "channels",
            "magazine",
            "reload_time",
            "interceptor_speed",
            "reaction_time",
            "pk",
            "cost_per_shot",
        ];
        let ok = self.not_for(t, WEAPON_KEYS, "a jammer (it fires no rounds)");
        let cx = &mut *self.cx;
        let radius = t.quantity_signed(cx, "radius", Dimension::Length, Sign::Positive);
        let radius = t.need(cx, "radius", radius);
        let p = t.probability_map(cx, "p_defeat");
        let p = t.need(cx, "p_defeat", p)?;
        for (name, span, _) in &p {
            self.refer(
                RefKind::ThreatSet,
                name.clone(),
                span.clone(),
                format!("{}.p_defeat.{name}", t.path),
            );
        }
        ok.then_some(())?;
        Some(Jammer {
            radius: radius?,
            p_defeat: to_map(&p),
        })
    }

    fn weapon(&mut self, t: &Tbl<'_, '_>) -> Option<Weapon> {
        let ok = self.not_for(
            t,
            &["radius", "p_defeat"],
            "a shooter (only jammers have them)",
        );
        let cx = &mut *self.cx;
        let hint = || Some("give it, or name a catalogue class with `class = ...`".to_string());
        let min_range = t.quantity_signed(cx, "min_range", Dimension::Length, Sign::NonNegative);
        let mut need = |key: &str, dim: Dimension, sign: Sign| {
            let v = t.quantity_signed(cx, key, dim, sign);
            if v.is_none() && !t.has(key) {
                t.missing(cx, key, hint());
            }
            v
        };
        let max_range = need("max_range", Dimension::Length, Sign::Positive);
        let max_altitude = need("max_altitude", Dimension::Length, Sign::Positive);
        let speed = need("interceptor_speed", Dimension::Speed, Sign::Positive);
        let cost = need("cost_per_shot", Dimension::Money, Sign::NonNegative);
        let reload = t.millis(cx, "reload_time", Sign::NonNegative);
        let reaction = t.millis(cx, "reaction_time", Sign::NonNegative);
        let channels = t.count(cx, "channels", 1);
        let magazine = t.count(cx, "magazine", 0);
        if magazine.is_none() && !t.has("magazine") {
            t.missing(cx, "magazine", hint());
        }
        if reload.is_none() && !t.has("reload_time") {
            t.missing(cx, "reload_time", hint());
        }
        let engages = t.strings(cx, "engages");
        if engages.is_none() && !t.has("engages") {
            t.missing(cx, "engages", hint());
        }
        let pk = t.probability_map(cx, "pk");
        if pk.is_none() && !t.has("pk") {
            t.missing(cx, "pk", hint());
        }
        if let (Some(lo), Some(hi)) = (min_range, max_range)
            && lo > hi
        {
            cx.inconsistent(
                t.span_of("min_range"),
                t.key_path("min_range"),
                format!(
                    "min_range \"{}\" is above max_range \"{}\"; expected min_range <= max_range",
                    t.raw_text("min_range"),
                    t.raw_text("max_range")
                ),
            );
            return None;
        }
        if let Some(list) = &engages {
            if list.is_empty() {
                cx.inconsistent(
                    t.span_of("engages"),
                    t.key_path("engages"),
                    "engages is empty: this effector can engage nothing".into(),
                );
            }
            for (i, (name, span)) in list.iter().enumerate() {
                self.refs.push(Ref {
                    what: RefKind::ThreatSet,
                    id: name.clone(),
                    span: span.clone(),
                    path: format!("{}.engages[{i}]", t.path),
                });
            }
        }
        if let Some(map) = &pk {
            for (name, span, _) in map {
                self.refs.push(Ref {
                    what: RefKind::ThreatSet,
                    id: name.clone(),
                    span: span.clone(),
                    path: format!("{}.pk.{name}", t.path),
                });
            }
        }
        let all_optional_ok = (min_range.is_some() || !t.has("min_range"))
            && (reaction.is_some() || !t.has("reaction_time"))
            && (channels.is_some() || !t.has("channels"));
        if !(ok && all_optional_ok) || engages.as_ref().is_some_and(|e| e.is_empty()) {
            return None;
        }
        Some(Weapon {
            min_range: min_range.unwrap_or(0.0),
            max_range: max_range?,
            max_altitude: max_altitude?,
            engages: engages?.into_iter().map(|(s, _)| s).collect(),
            channels: channels.unwrap_or(1),
            magazine: magazine?,
            reload_time: reload?,
            interceptor_speed: speed?,
            reaction_time: reaction.unwrap_or(0),
            pk: to_map(&pk?),
            cost_per_shot: cost?,
        })
    }

    fn raid(&mut self, t: &Tbl<'_, '_>) -> Option<Raid> {
        let id = self.id(t, "raid");
        let cx = &mut *self.cx;
        let threat = t.string(cx, "threat");
        let threat = t.need(cx, "threat", threat);
        let count = t.count(cx, "count", 1);
        let count = t.need(cx, "count", count);
        let from = t.strings(cx, "from");
        let from = t.need(cx, "from", from);
        let start = if t.has("start") {
            t.millis(cx, "start", Sign::NonNegative)
        } else {
            Some(0)
        };
        let end = t.millis(cx, "end", Sign::NonNegative);
        let end = t.need(cx, "end", end);
        let arrival = t.choice(cx, "arrival", ArrivalKind::parse, ArrivalKind::NAMES);
        let rate = t.quantity_signed(cx, "rate", Dimension::Rate, Sign::Positive);
        let route = self.route(t);
        let target = self.target(t);
        let cx = &mut *self.cx;
        if let (Some(s), Some(e)) = (start, end) {
            if s > e {
                cx.inconsistent(
                    t.span_of("start"),
                    t.key_path("start"),
                    "the launch window starts after it ends; expected start <= end".into(),
                );
                return None;
            }
            if let Some(d) = self.duration
                && e > d
            {
                cx.error(
                    t.span_of("end"),
                    t.key_path("end"),
                    DiagnosticKind::OutOfRange {
                        found: format!("\"{}\"", t.raw_text("end")),
                        expected: format!(
                            "a time within the scenario duration ({})",
                            crate::units::fmt_duration(d)
                        ),
                    },
                );
                return None;
            }
        }
        let arrival_kind = match arrival {
            Some(a) => a,
            None if t.has("arrival") => return None,
            None => ArrivalKind::Uniform,
        };
        if t.has("rate") && arrival_kind != ArrivalKind::Poisson {
            cx.inconsistent(
                t.span_of("rate"),
                t.key_path("rate"),
                format!("rate applies to arrival = \"poisson\" only, and this raid is \"{arrival_kind}\""),
            );
            return None;
        }
        if let Some(th) = &threat {
            self.refer(
                RefKind::ThreatClass,
                th.clone(),
                t.span_of("threat"),
                t.key_path("threat"),
            );
        }
        if let Some(list) = &from {
            if list.is_empty() {
                self.cx.inconsistent(
                    t.span_of("from"),
                    t.key_path("from"),
                    "from is empty; expected at least one launch site id".into(),
                );
                return None;
            }
            for (i, (site, span)) in list.iter().enumerate() {
                self.refer(
                    RefKind::LaunchSite,
                    site.clone(),
                    span.clone(),
                    format!("{}.from[{i}]", t.path),
                );
            }
        }
        let (start, end, count) = (start?, end?, count?);
        if let Some(id) = &id {
            self.raid_targets
                .push((id.clone(), t.span_of("target"), t.key_path("target")));
        }
        let arrival = match arrival_kind {
            ArrivalKind::Fixed => Arrival::Fixed,
            ArrivalKind::Uniform => Arrival::Uniform,
            ArrivalKind::Poisson => match rate {
                Some(r) => Arrival::Poisson { rate: r },
                None if t.has("rate") => return None,
                None => {
                    let window_s = (end - start) as f64 / 1000.0;
                    if window_s <= 0.0 {
                        self.cx.inconsistent(
                            t.span_of("arrival"),
                            t.key_path("arrival"),
                            "a poisson raid with an empty window needs an explicit rate".into(),
                        );
                        return None;
                    }
                    Arrival::Poisson {
                        rate: f64::from(count) / window_s,
                    }
                }
            },
        };
        Some(Raid {
            id: id?,
            threat: threat?,
            count,
            from: from?.into_iter().map(|(s, _)| s).collect(),
            start,
            end,
            arrival,
            route: route?,
            target: target?,
        })
    }

    fn route(&mut self, t: &Tbl<'_, '_>) -> Option<Route> {
        let Some(v) = t.get("route") else {
            return Some(Route::Direct);
        };
        match v.get_ref() {
            DeValue::String(s) if s == "direct" => Some(Route::Direct),
            DeValue::Array(_) => t.points(self.cx, "route").map(Route::Waypoints),
            DeValue::String(s) => {
                self.cx.error(
                    v.span(),
                    t.key_path("route"),
                    DiagnosticKind::UnknownVariant {
                        found: s.to_string(),
                        expected: vec!["direct".into(), "[[east, north], ...]".into()],
                        suggestion: suggest(s, ["direct"]),
                    },
                );
                None
            }
            other => {
                self.cx.error(
                    v.span(),
                    t.key_path("route"),
                    DiagnosticKind::WrongType {
                        expected: spec::describe(&spec::Ty::Route),
                        found: crate::read::type_name(other),
                    },
                );
                None
            }
        }
    }

    fn target(&mut self, t: &Tbl<'_, '_>) -> Option<TargetSelection> {
        let Some(v) = t.get("target") else {
            return Some(TargetSelection::AnyByValue);
        };
        let path = t.key_path("target");
        match v.get_ref() {
            DeValue::String(s) if s == "any" => Some(TargetSelection::AnyByValue),
            DeValue::Table(_) => {
                let tt = Tbl::open(self.cx, v, path.clone(), &spec::TARGET)?;
                match (tt.has("asset"), tt.has("kinds")) {
                    (true, false) => {
                        let a = tt.string(self.cx, "asset")?;
                        self.refer(
                            RefKind::Asset,
                            a.clone(),
                            tt.span_of("asset"),
                            tt.key_path("asset"),
                        );
                        Some(TargetSelection::Asset(a))
                    }
                    (false, true) => {
                        let kv = tt.get("kinds")?;
                        let DeValue::Array(items) = kv.get_ref() else {
                            self.cx.error(
                                kv.span(),
                                tt.key_path("kinds"),
                                DiagnosticKind::WrongType {
                                    expected: format!("a list of: {}", AssetKind::NAMES.join(", ")),
                                    found: crate::read::type_name(kv.get_ref()),
                                },
                            );
                            return None;
                        };
                        let mut kinds = Vec::new();
                        let mut ok = true;
                        for (i, item) in items.iter().enumerate() {
                            match read_choice(
                                self.cx,
                                item,
                                format!("{}[{i}]", tt.key_path("kinds")),
                                AssetKind::parse,
                                AssetKind::NAMES,
                            ) {
                                Some(k) => kinds.push(k),
                                None => ok = false,
                            }
                        }
                        if ok && kinds.is_empty() {
                            self.cx.inconsistent(
                                kv.span(),
                                tt.key_path("kinds"),
                                "kinds is empty; expected at least one asset kind".into(),
                            );
                            return None;
                        }
                        ok.then_some(TargetSelection::Kinds(kinds))
                    }
                    _ => {
                        self.cx.inconsistent(
                            v.span(),
                            path,
                            "give exactly one of `asset` or `kinds` in target".into(),
                        );
                        None
                    }
                }
            }
            other => {
                self.cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::WrongType {
                        expected: spec::describe(&spec::Ty::Target),
                        found: crate::read::type_name(other),
                    },
                );
                None
            }
        }
    }

    fn doctrine(&mut self, t: &Tbl<'_, '_>) -> Option<Doctrine> {
        let mut d = default_doctrine();
        let cx = &mut *self.cx;
        let mut ok = true;
        let mut set = |ok_now: bool| ok &= ok_now;
        if t.has("policy") {
            let p = t.choice(cx, "policy", Policy::parse, Policy::NAMES);
            set(p.is_some());
            d.policy = p.unwrap_or(d.policy);
        }
        if t.has("default_mode") {
            let m = t.choice(cx, "default_mode", FireModeKind::parse, FireModeKind::NAMES);
            set(m.is_some());
            d.default_fire.mode = m.unwrap_or(d.default_fire.mode);
        }
        if t.has("default_shots") {
            let s = t.count(cx, "default_shots", 1);
            set(s.is_some());
            d.default_fire.shots = s.unwrap_or(d.default_fire.shots);
        }
        if t.has("decoy_discrimination") {
            let p = t.probability(cx, "decoy_discrimination");
            set(p.is_some());
            d.decoy_discrimination = p.unwrap_or(0.0);
        }
        if t.has("cost_rule") {
            let rule = t.table(cx, "cost_rule", &spec::COST_RULE).and_then(|c| {
                let r = {
                    let v = c.positive(cx, "max_ratio");
                    c.need(cx, "max_ratio", v)
                };
                let v = c.quantity_signed(cx, "value_unit", Dimension::Money, Sign::Positive);
                let v = c.need(cx, "value_unit", v);
                Some(CostRule {
                    max_ratio: r?,
                    value_unit: v?,
                })
            });
            set(rule.is_some());
            d.cost_rule = rule;
        }
        for f in t.tables(self.cx, "fire", &spec::FIRE) {
            let threats = f.strings(self.cx, "threats");
            let threats = f.need(self.cx, "threats", threats);
            let mode = f.choice(self.cx, "mode", FireModeKind::parse, FireModeKind::NAMES);
            let mode = f.need(self.cx, "mode", mode);
            let shots = if f.has("shots") {
                f.count(self.cx, "shots", 1)
            } else {
                Some(2)
            };
            match (threats, mode, shots) {
                (Some(th), Some(mode), Some(shots)) => {
                    for (i, (name, span)) in th.iter().enumerate() {
                        self.refer(
                            RefKind::ThreatSet,
                            name.clone(),
                            span.clone(),
                            format!("{}.threats[{i}]", f.path),
                        );
                    }
                    d.fire.push(FireRule {
                        threats: th.into_iter().map(|(s, _)| s).collect(),
                        fire: FireMode { mode, shots },
                    });
                }
                _ => ok = false,
            }
        }
        for r in t.tables(self.cx, "reserve", &spec::RESERVE) {
            let eff = r.string(self.cx, "effector");
            let eff = r.need(self.cx, "effector", eff);
            let keep = r.count(self.cx, "keep", 1);
            let keep = r.need(self.cx, "keep", keep);
            let threats = r.strings(self.cx, "threats");
            let threats = r.need(self.cx, "threats", threats);
            match (eff, keep, threats) {
                (Some(e), Some(keep), Some(th)) => {
                    self.refer(
                        RefKind::EffectorSet,
                        e.clone(),
                        r.span_of("effector"),
                        r.key_path("effector"),
                    );
                    for (i, (name, span)) in th.iter().enumerate() {
                        self.refer(
                            RefKind::ThreatSet,
                            name.clone(),
                            span.clone(),
                            format!("{}.threats[{i}]", r.path),
                        );
                    }
                    d.reserves.push(Reserve {
                        effector: e,
                        keep,
                        threats: th.into_iter().map(|(s, _)| s).collect(),
                    });
                }
                _ => ok = false,
            }
        }
        ok.then_some(d)
    }

    /// The declared threat classes plus the catalogue classes raids name directly.
    fn resolve_threats(
        &mut self,
        mut declared: Vec<ThreatClass>,
        raids: &[Raid],
    ) -> Vec<ThreatClass> {
        for raid in raids {
            if declared.iter().any(|t| t.id == raid.threat) {
                continue;
            }
            let Some(base) = self.catalogue.threat(&raid.threat) else {
                continue;
            };
            let mut cx = Cx::new(CATALOGUE_TOML);
            let t = Tbl::from_table(&mut cx, base, 0..0, String::new(), &spec::THREAT);
            let mut sub = Decoder::new(&mut cx, self.catalogue);
            if let Some(tc) = sub.threat_fields(&t, raid.threat.clone(), Some(raid.threat.clone()))
            {
                declared.push(tc);
            }
        }
        declared
    }

    fn check_refs(&mut self) {
        let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        let declared_threats = self.declared("threat");
        let catalogue_threats: Vec<String> = self
            .catalogue
            .threats
            .iter()
            .map(|(i, _)| i.to_string())
            .collect();
        let catalogue_effectors: Vec<String> = self
            .catalogue
            .effectors
            .iter()
            .map(|(i, _)| i.to_string())
            .collect();
        let threat_classes: Vec<String> =
            [declared_threats.clone(), catalogue_threats.clone()].concat();
        let threat_sets: Vec<String> =
            [strs(ThreatKind::NAMES), declared_threats, catalogue_threats].concat();
        let sites = self.declared("launch site");
        let assets = self.declared("asset");
        let effector_sets: Vec<String> = [
            strs(EffectorKind::NAMES),
            catalogue_effectors,
            self.declared("effector"),
        ]
        .concat();
        let refs = std::mem::take(&mut self.refs);
        for r in refs {
            let (what, candidates): (&'static str, &[String]) = match r.what {
                RefKind::ThreatClass => ("threat class", &threat_classes),
                RefKind::ThreatSet => ("threat kind or class", &threat_sets),
                RefKind::LaunchSite => ("launch site", &sites),
                RefKind::Asset => ("asset", &assets),
                RefKind::EffectorSet => ("effector kind, class or id", &effector_sets),
            };
            if !candidates.contains(&r.id) {
                let suggestion = suggest(&r.id, candidates.iter().map(String::as_str));
                self.dangling += 1;
                self.cx.error(
                    r.span,
                    r.path,
                    DiagnosticKind::DanglingId {
                        what,
                        id: r.id,
                        suggestion,
                        known: candidates.iter().take(12).cloned().collect(),
                    },
                );
            }
        }
    }

    /// A raid must have something to aim at: its asset kinds must exist.
    fn check_targets(&mut self, root: &Tbl<'_, '_>, assets: &[Asset], raids: &[Raid]) {
        let _ = root;
        let targets = std::mem::take(&mut self.raid_targets);
        for raid in raids {
            let Some((_, span, path)) = targets.iter().find(|(id, _, _)| *id == raid.id) else {
                continue;
            };
            let message = match &raid.target {
                TargetSelection::Asset(_) => None,
                TargetSelection::AnyByValue if assets.is_empty() => Some(format!(
                    "raid `{}` targets any asset, but the scenario has none",
                    raid.id
                )),
                TargetSelection::AnyByValue => None,
                TargetSelection::Kinds(kinds) => {
                    let exists = assets.iter().any(|a| kinds.contains(&a.kind));
                    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                    (!exists).then(|| {
                        format!(
                            "raid `{}` targets assets of kind {}, but the scenario has none",
                            raid.id,
                            names.join(", ")
                        )
                    })
                }
            };
            if let Some(message) = message {
                let mut present: Vec<&str> = assets.iter().map(|a| a.kind.as_str()).collect();
                present.sort_unstable();
                present.dedup();
                self.cx.error(
                    span.clone(),
                    path.clone(),
                    DiagnosticKind::Inconsistent {
                        message,
                        hint: Some(format!("asset kinds present: {}", present.join(", "))),
                    },
                );
            }
        }
    }

    fn check_effectors_useful(
        &mut self,
        effectors: &[Effector],
        threats: &[ThreatClass],
        raids: &[Raid],
    ) {
        let launched: Vec<&ThreatClass> = threats
            .iter()
            .filter(|t| raids.iter().any(|r| r.threat == t.id))
            .collect();
        // Only when every raid's threat class is known: otherwise the dangling
        // reference is the problem to report, not the effectors.
        if self.dangling > 0
            || raids.is_empty()
            || raids
                .iter()
                .any(|r| !threats.iter().any(|t| t.id == r.threat))
        {
            return;
        }
        let groups = std::mem::take(&mut self.effector_groups);
        for (group, span, path, _) in groups {
            let Some(e) = effectors.iter().find(|e| e.group == group) else {
                continue;
            };
            let useful = launched.iter().any(|t| match &e.role {
                EffectorRole::Shooter(w) => w.can_engage(t) && w.pk_against(t) > 0.0,
                EffectorRole::Jammer(j) => j.p_defeat_against(t) > 0.0,
            });
            if !useful {
                let names: Vec<String> = launched
                    .iter()
                    .map(|t| format!("`{}`, {}", t.id, t.kind))
                    .collect();
                let message = match &e.role {
                    EffectorRole::Shooter(_) => format!(
                        "effector `{group}` can engage none of the threats the raids launch ({}); check engages and pk",
                        names.join("; ")
                    ),
                    EffectorRole::Jammer(_) => format!(
                        "jammer `{group}` can defeat none of the threats the raids launch ({}); only GNSS-guided threats named in p_defeat can be jammed",
                        names.join("; ")
                    ),
                };
                self.cx.error(
                    span,
                    path,
                    DiagnosticKind::Inconsistent {
                        message,
                        hint: None,
                    },
                );
            }
        }
    }
}

/// Unit ids: the declared id for one unit, `id#1`, `id#2`... for several.
fn unit_ids(id: &str, n: usize) -> Vec<String> {
    if n == 1 {
        vec![id.to_string()]
    } else {
        (1..=n).map(|k| format!("{id}#{k}")).collect()
    }
}

/// Spreads `n` points evenly over a disc (Vogel's sunflower spiral):
/// deterministic, no random draw, no two points on top of each other.
pub fn spread(center: Point, radius: f64, n: u32) -> Vec<Point> {
    if n == 1 {
        return vec![center];
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    (0..n)
        .map(|k| {
            let r = radius * ((f64::from(k) + 0.5) / f64::from(n)).sqrt();
            let a = golden * f64::from(k);
            Point::new(center.east + r * a.cos(), center.north + r * a.sin())
        })
        .collect()
}

fn default_doctrine() -> Doctrine {
    Doctrine {
        policy: Policy::Greedy,
        default_fire: FireMode {
            mode: FireModeKind::ShootLookShoot,
            shots: 2,
        },
        fire: Vec::new(),
        reserves: Vec::new(),
        cost_rule: None,
        decoy_discrimination: 0.0,
    }
}
