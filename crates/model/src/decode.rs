//! From text to a validated [`Scenario`]: syntax, types, units, then cross-checks.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Diagnostic, DiagnosticKind, suggest};
use crate::read::{Cx, Sign, Span, Tbl, read_choice, respan, to_map};
use crate::scenario::*;
use crate::spec;
use crate::units::Dimension;

/// Most units one `count = N` declaration may place.
pub const MAX_UNITS: u32 = 100_000;

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

/// What `check_bytes` says of a file too large to read: for callers that
/// know the size before reading (a 100 GB file need not be read to be refused).
pub fn file_too_large(size: u64) -> Checked {
    let mut cx = Cx::new("");
    cx.error(
        0..0,
        "",
        DiagnosticKind::TooLarge {
            size: usize::try_from(size).unwrap_or(usize::MAX),
            limit: MAX_FILE_BYTES,
        },
    );
    finish(cx, None)
}

fn check_text(text: &str) -> Checked {
    // A byte-order mark is not part of the text: columns count from after it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cx = Cx::new(text);
    let Some(root) = parse_tree(&mut cx, text) else {
        return finish(cx, None);
    };
    let catalogue_root = match DeTable::parse(CATALOGUE_TOML) {
        Ok(t) => t,
        Err(e) => unreachable!("the built-in catalogue is valid TOML (tested): {e}"),
    };
    let catalogue = RawCatalogue::new(catalogue_root.get_ref());
    let scenario = Decoder::new(&mut cx, &catalogue).root(root.get_ref());
    if let Some(s) = &scenario
        && !s.variants.is_empty()
    {
        check_variants(&mut cx, text, root.get_ref(), s);
    }
    let has_errors = cx
        .diags
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error);
    finish(cx, if has_errors { None } else { scenario })
}

/// Each variant's settings must name fields of this scenario and, applied
/// together, give a valid scenario; ids must be unique.
fn check_variants(cx: &mut Cx<'_>, text: &str, root: &DeTable<'_>, s: &Scenario) {
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

/// The TOML tree of `text`, or `None` with the file's syntax errors (the
/// first of each line, at most `MAX_SYNTAX_ERRORS`) in `cx`.
pub(crate) fn parse_tree<'i>(cx: &mut Cx<'_>, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
    if text.trim().is_empty() {
        cx.error(0..0, "", DiagnosticKind::Empty);
        return None;
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(root);
    }
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
        let mut message = e.message().trim().to_string();
        // Name the duplicated key: "duplicate key" alone does not say which.
        if (message.starts_with("duplicate key") || message.starts_with("duplicate table"))
            && let Some(name) = text
                .get(span.clone())
                .filter(|n| !n.is_empty() && n.len() < 80)
        {
            message = format!("{message} `{}`", name.trim_matches(['[', ']', ' ']));
        }
        cx.error(span, "", DiagnosticKind::Syntax { message });
    }
    None
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

/// A `[[threat]]` or `[[effector]]` table and its catalogue class.
enum Base<'i> {
    /// No class: the table stands alone.
    Own,
    /// The class's table with the user's keys over it.
    Merged(String, DeTable<'i>),
    /// An unknown class or a conflicting kind, already reported.
    Broken,
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
    ids: BTreeMap<&'static str, BTreeMap<String, Span>>,
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

    /// Reads and registers an id, reporting bad, reserved and duplicate ids.
    /// A bad id is still registered, so that references to it do not cascade.
    fn id(&mut self, t: &Tbl<'_, '_>, what: &'static str) -> Option<String> {
        let id = {
            let v = t.string(self.cx, "id");
            t.need(self.cx, "id", v)
        }?;
        let span = t.span_of("id");
        let mut ok = true;
        if !is_valid_id(&id) {
            ok = false;
            self.cx.error(
                span.clone(),
                t.key_path("id"),
                DiagnosticKind::BadId { id: id.clone() },
            );
        } else if let Some(meaning) = self.reserved(what, &id, t) {
            ok = false;
            self.cx.error(
                span.clone(),
                t.key_path("id"),
                DiagnosticKind::ReservedId {
                    id: id.clone(),
                    meaning,
                },
            );
        }
        let ids = self.ids.entry(what).or_default();
        if let Some(first) = ids.get(&id) {
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
        ids.insert(id.clone(), span);
        ok.then_some(id)
    }

    /// Threat and effector ids share a name space with kinds and catalogue
    /// classes (in pk tables, engages, reserves): they must not shadow them.
    fn reserved(&self, what: &'static str, id: &str, t: &Tbl<'_, '_>) -> Option<String> {
        let own_class = t.table.get("class").and_then(|v| v.get_ref().as_str());
        let (kinds, classes): (&[&str], Vec<&str>) = match what {
            "threat" => (
                ThreatKind::NAMES,
                self.catalogue.threats.iter().map(|(i, _)| *i).collect(),
            ),
            "effector" => (
                EffectorKind::NAMES,
                self.catalogue.effectors.iter().map(|(i, _)| *i).collect(),
            ),
            _ => return None,
        };
        if kinds.contains(&id) {
            return Some(format!("{} {what} kind", crate::diag::article(what)));
        }
        if classes.contains(&id) && own_class != Some(id) {
            return Some(format!("a catalogue {what} class"));
        }
        None
    }

    fn declared(&self, what: &'static str) -> Vec<String> {
        self.ids
            .get(what)
            .map(|v| v.keys().cloned().collect())
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
        let asset_list = t.tables(self.cx, "asset", &spec::ASSET);
        let asset_tables = asset_list.len();
        let assets: Vec<Asset> = asset_list.iter().filter_map(|x| self.asset(x)).collect();
        let sensor_list = t.tables(self.cx, "sensor", &spec::SENSOR);
        let sensor_tables = sensor_list.len();
        let sensors: Vec<Sensor> = sensor_list
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
        let variants: Vec<Variant> = t
            .tables(self.cx, "variant", &spec::VARIANT)
            .iter()
            .filter_map(|v| {
                let id = {
                    let x = v.string(self.cx, "id");
                    v.need(self.cx, "id", x)
                };
                let description = v.string(self.cx, "description");
                let set = {
                    let x = v.settings(self.cx, "set");
                    v.need(self.cx, "set", x)
                };
                Some(Variant {
                    id: id?,
                    description,
                    set: set?.into_iter().map(|(p, _, x)| (p, x)).collect(),
                })
            })
            .collect();
        let doctrine = match t.table(self.cx, "doctrine", &spec::DOCTRINE) {
            Some(d) => self.doctrine(&d),
            None if t.has("doctrine") => None,
            None => Some(default_doctrine()),
        };
        let no_asset_given = t
            .get("asset")
            .is_none_or(|v| matches!(v.get_ref(), DeValue::Array(items) if items.is_empty()));
        if assets.is_empty() && asset_tables == 0 && no_asset_given {
            self.cx
                .error(t.span_of("asset"), "asset", DiagnosticKind::NoAssets);
        }
        if sensor_tables == 0 && !raids.is_empty() {
            self.cx.warning(0..0, "sensor", DiagnosticKind::NoSensors);
        }
        let threats = self.resolve_threats(declared_threats, &raids);
        self.check_refs();
        self.check_targets(&assets, &raids);
        self.check_effectors_useful(&effectors, &threats, &raids);
        let (name, description, seed, duration, origin, outline) = header?;
        Some(Scenario {
            name,
            description,
            seed,
            duration,
            origin,
            outline,
            tracking: tracking?,
            assets,
            sensors,
            effectors,
            threats,
            launch_sites,
            raids,
            doctrine: doctrine?,
            variants,
        })
    }

    #[allow(clippy::type_complexity)]
    fn scenario_header(
        &mut self,
        root: &Tbl<'_, '_>,
    ) -> Option<(
        String,
        Option<String>,
        u64,
        Millis,
        Option<GeoOrigin>,
        Vec<Point>,
    )> {
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
        let outline = if t.has("outline") {
            let points = t.points(self.cx, "outline")?;
            if points.len() < 3 {
                self.cx.error(
                    t.span_of("outline"),
                    t.key_path("outline"),
                    DiagnosticKind::TooFewPoints {
                        key: "outline".into(),
                        found: points.len(),
                        least: 3,
                    },
                );
                return None;
            }
            points
        } else {
            Vec::new()
        };
        Some((name?, description, seed, duration?, origin, outline))
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
            self.cx.error(
                t.span_of("k"),
                t.key_path("k"),
                DiagnosticKind::OutOfOrder {
                    low: "k".into(),
                    high: "n".into(),
                    low_value: k.to_string(),
                    high_value: n.to_string(),
                },
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
    fn based<'a, 'i>(
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

    fn threat(&mut self, raw: &Tbl<'_, '_>) -> Option<ThreatClass> {
        let id = self.id(raw, "threat");
        let base = self.with_class(raw, RawCatalogue::threat, |c| {
            c.threats.iter().map(|(i, _)| *i).collect()
        });
        let (class, t) = Self::based(raw, &base, &spec::THREAT);
        let threat = self.threat_fields(&t, id.clone().unwrap_or_default(), class);
        if matches!(base, Base::Broken) || id.is_none() {
            return None;
        }
        threat
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
                DiagnosticKind::DecoyWarhead,
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
                    DiagnosticKind::ExclusiveKeys {
                        keys: vec!["hits_to_destroy".into(), "destroy_mass".into()],
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
        let count = t
            .integer(cx, "count", 0, i64::from(MAX_UNITS))
            .map(|c| c as u32);
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
                        cx.error(
                            t.span_of("positions"),
                            t.key_path("positions"),
                            DiagnosticKind::CountMismatch {
                                count: n,
                                listed: ps.len(),
                            },
                        );
                        None
                    }
                    _ if ps.is_empty() => {
                        cx.error(
                            t.span_of("positions"),
                            t.key_path("positions"),
                            DiagnosticKind::EmptyList {
                                key: "positions".into(),
                                item: "position",
                            },
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
                cx.error(
                    t.span_of(given[1]),
                    t.key_path(given[1]),
                    DiagnosticKind::ExclusiveKeys {
                        keys: given.iter().map(|k| k.to_string()).collect(),
                    },
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
            cx.error(
                t.span_of("reference_rcs"),
                t.key_path("reference_rcs"),
                DiagnosticKind::NotApplicable {
                    key: "reference_rcs".into(),
                    subject: format!("a sensor of type {kind} (radars only)"),
                },
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
        let base = self.with_class(raw, RawCatalogue::effector, |c| {
            c.effectors.iter().map(|(i, _)| *i).collect()
        });
        let (class, t) = Self::based(raw, &base, &spec::EFFECTOR);
        let points = self.placement(&t);
        let kind = t.choice(self.cx, "kind", EffectorKind::parse, EffectorKind::NAMES);
        if kind.is_none() && !t.has("kind") {
            t.missing(
                self.cx,
                "kind",
                Some("give kind, or name a catalogue class with `class = ...`".into()),
            );
        }
        // Without a known kind (a broken class), read the fields as the keys
        // suggest, to report what is wrong with them too.
        let jams = match kind {
            Some(k) => k == EffectorKind::Jammer,
            None => t.has("radius") || t.has("p_defeat"),
        };
        if kind.is_none() && !matches!(base, Base::Broken) {
            return None;
        }
        let role = if jams {
            self.jammer(&t).map(EffectorRole::Jammer)
        } else {
            self.weapon(&t).map(EffectorRole::Shooter)
        };
        let kind = kind?;
        if matches!(base, Base::Broken) {
            return None;
        }
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
                self.cx.error(
                    t.span_of(key),
                    t.key_path(key),
                    DiagnosticKind::NotApplicable {
                        key: key.to_string(),
                        subject: who.to_string(),
                    },
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
            "mean_engagement_time",
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
        let engagement = t.millis(cx, "mean_engagement_time", Sign::Positive);
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
            cx.error(
                t.span_of("min_range"),
                t.key_path("min_range"),
                DiagnosticKind::OutOfOrder {
                    low: "min_range".into(),
                    high: "max_range".into(),
                    low_value: format!("\"{}\"", t.raw_text("min_range")),
                    high_value: format!("\"{}\"", t.raw_text("max_range")),
                },
            );
            return None;
        }
        if let Some(list) = &engages {
            if list.is_empty() {
                cx.error(
                    t.span_of("engages"),
                    t.key_path("engages"),
                    DiagnosticKind::EmptyList {
                        key: "engages".into(),
                        item: "threat kind or class",
                    },
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
        let all_optional_ok = (engagement.is_some() || !t.has("mean_engagement_time"))
            && (min_range.is_some() || !t.has("min_range"))
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
            mean_engagement_time: engagement,
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
        // References first, so that they are checked whatever else is wrong.
        if let Some(th) = &threat {
            self.refer(
                RefKind::ThreatClass,
                th.clone(),
                t.span_of("threat"),
                t.key_path("threat"),
            );
        }
        let mut ok = true;
        if let Some(list) = &from {
            if list.is_empty() {
                ok = false;
                self.cx.error(
                    t.span_of("from"),
                    t.key_path("from"),
                    DiagnosticKind::EmptyList {
                        key: "from".into(),
                        item: "launch site id",
                    },
                );
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
        let route = self.route(t);
        let target = self.target(t);
        if let (Some(s), Some(e)) = (start, end)
            && s > e
        {
            ok = false;
            self.cx.error(
                t.span_of("start"),
                t.key_path("start"),
                DiagnosticKind::OutOfOrder {
                    low: "start".into(),
                    high: "end".into(),
                    low_value: format!("\"{}\"", t.raw_text("start")),
                    high_value: format!("\"{}\"", t.raw_text("end")),
                },
            );
        }
        if let (Some(d), Some(e)) = (self.duration, end)
            && e > d
        {
            ok = false;
            self.cx.error(
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
        }
        let arrival_kind = match arrival {
            Some(a) => a,
            None if t.has("arrival") => {
                ok = false;
                ArrivalKind::Uniform
            }
            None => ArrivalKind::Uniform,
        };
        let arrival_broken = t.has("arrival") && arrival.is_none();
        if t.has("rate") && arrival_kind != ArrivalKind::Poisson && !arrival_broken {
            ok = false;
            self.cx.error(
                t.span_of("rate"),
                t.key_path("rate"),
                DiagnosticKind::NotApplicable {
                    key: "rate".into(),
                    subject: format!("arrival = \"{arrival_kind}\" (rate is for \"poisson\" only)"),
                },
            );
        }
        let (start, end, count) = (start?, end?, count?);
        let arrival = match arrival_kind {
            ArrivalKind::Fixed => Arrival::Fixed,
            ArrivalKind::Uniform => Arrival::Uniform,
            ArrivalKind::Poisson => match rate {
                Some(r) => Arrival::Poisson { rate: r },
                None if t.has("rate") => return None,
                None if end <= start => {
                    self.cx.error(
                        t.span_of("arrival"),
                        t.key_path("rate"),
                        DiagnosticKind::MissingKey {
                            key: "rate".into(),
                            hint: Some(
                                "a poisson raid with an empty window (start = end) needs an explicit rate"
                                    .into(),
                            ),
                        },
                    );
                    return None;
                }
                None => Arrival::Poisson {
                    rate: f64::from(count) / ((end - start) as f64 / 1000.0),
                },
            },
        };
        if !ok {
            return None;
        }
        if let Some(id) = &id {
            self.raid_targets
                .push((id.clone(), t.span_of("target"), t.key_path("target")));
        }
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
            DeValue::Array(items) if items.is_empty() => {
                self.cx.error(
                    v.span(),
                    t.key_path("route"),
                    DiagnosticKind::EmptyList {
                        key: "route".into(),
                        item: "waypoint (or write route = \"direct\")",
                    },
                );
                None
            }
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
            DeValue::String(s) => {
                self.cx.error(
                    v.span(),
                    path,
                    DiagnosticKind::UnknownVariant {
                        found: s.to_string(),
                        expected: vec![
                            "any".into(),
                            "{ asset = \"id\" }".into(),
                            "{ kinds = [...] }".into(),
                        ],
                        suggestion: suggest(s, ["any"]),
                    },
                );
                None
            }
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
                            self.cx.error(
                                kv.span(),
                                tt.key_path("kinds"),
                                DiagnosticKind::EmptyList {
                                    key: "kinds".into(),
                                    item: "asset kind",
                                },
                            );
                            return None;
                        }
                        ok.then_some(TargetSelection::Kinds(kinds))
                    }
                    _ => {
                        self.cx.error(
                            v.span(),
                            path,
                            DiagnosticKind::NeedOneOf {
                                keys: vec!["asset".into(), "kinds".into()],
                            },
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
            let threats = threats.map(|th| self.threat_list(&f, th));
            match (threats, mode, shots) {
                (Some(threats), Some(mode), Some(shots)) => d.fire.push(FireRule {
                    threats,
                    fire: FireMode { mode, shots },
                }),
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
            if let Some(e) = &eff {
                self.refer(
                    RefKind::EffectorSet,
                    e.clone(),
                    r.span_of("effector"),
                    r.key_path("effector"),
                );
            }
            let threats = threats.map(|th| self.threat_list(&r, th));
            match (eff, keep, threats) {
                (Some(effector), Some(keep), Some(threats)) => d.reserves.push(Reserve {
                    effector,
                    keep,
                    threats,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(d)
    }

    /// Registers a `threats = [...]` list as references and returns the names.
    fn threat_list(&mut self, t: &Tbl<'_, '_>, list: Vec<(String, Span)>) -> Vec<String> {
        if list.is_empty() {
            self.cx.error(
                t.span_of("threats"),
                t.key_path("threats"),
                DiagnosticKind::EmptyList {
                    key: "threats".into(),
                    item: "threat kind or class",
                },
            );
        }
        list.into_iter()
            .enumerate()
            .map(|(i, (name, span))| {
                self.refer(
                    RefKind::ThreatSet,
                    name.clone(),
                    span,
                    format!("{}.threats[{i}]", t.path),
                );
                name
            })
            .collect()
    }

    /// The declared threat classes plus the catalogue classes raids name directly.
    fn resolve_threats(
        &mut self,
        mut declared: Vec<ThreatClass>,
        raids: &[Raid],
    ) -> Vec<ThreatClass> {
        let mut known: std::collections::BTreeSet<String> =
            declared.iter().map(|t| t.id.clone()).collect();
        for raid in raids {
            if !known.insert(raid.threat.clone()) {
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
        let sets: Vec<std::collections::BTreeSet<&str>> = [
            &threat_classes,
            &threat_sets,
            &sites,
            &assets,
            &effector_sets,
        ]
        .iter()
        .map(|v| v.iter().map(String::as_str).collect())
        .collect();
        for r in refs {
            let set = &sets[match r.what {
                RefKind::ThreatClass => 0,
                RefKind::ThreatSet => 1,
                RefKind::LaunchSite => 2,
                RefKind::Asset => 3,
                RefKind::EffectorSet => 4,
            }];
            if set.contains(r.id.as_str()) {
                continue;
            }
            let (what, candidates): (&'static str, &[String]) = match r.what {
                RefKind::ThreatClass => ("threat class", &threat_classes),
                RefKind::ThreatSet => ("threat kind or class", &threat_sets),
                RefKind::LaunchSite => ("launch site", &sites),
                RefKind::Asset => ("asset", &assets),
                RefKind::EffectorSet => ("effector kind, class or id", &effector_sets),
            };
            {
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
    fn check_targets(&mut self, assets: &[Asset], raids: &[Raid]) {
        let targets = std::mem::take(&mut self.raid_targets);
        if assets.is_empty() {
            // No assets at all is reported once, not once per raid.
            return;
        }
        let mut present: Vec<String> = assets.iter().map(|a| a.kind.to_string()).collect();
        present.sort_unstable();
        present.dedup();
        let targets: BTreeMap<&str, (&Span, &String)> = targets
            .iter()
            .map(|(id, span, path)| (id.as_str(), (span, path)))
            .collect();
        for raid in raids {
            let Some(&(span, path)) = targets.get(raid.id.as_str()) else {
                continue;
            };
            let kinds: Vec<String> = match &raid.target {
                TargetSelection::Asset(_) => continue,
                TargetSelection::AnyByValue if !assets.is_empty() => continue,
                TargetSelection::AnyByValue => Vec::new(),
                TargetSelection::Kinds(kinds) if assets.iter().any(|a| kinds.contains(&a.kind)) => {
                    continue;
                }
                TargetSelection::Kinds(kinds) => kinds.iter().map(|k| k.to_string()).collect(),
            };
            self.cx.error(
                span.clone(),
                path.clone(),
                DiagnosticKind::NoTarget {
                    raid: raid.id.clone(),
                    kinds,
                    present: present.clone(),
                },
            );
        }
    }

    fn check_effectors_useful(
        &mut self,
        effectors: &[Effector],
        threats: &[ThreatClass],
        raids: &[Raid],
    ) {
        // Only when every reference resolved: otherwise the dangling
        // reference is the problem to report, not the effectors.
        let ids: std::collections::BTreeSet<&str> = threats.iter().map(|t| t.id.as_str()).collect();
        if self.dangling > 0
            || raids.is_empty()
            || raids.iter().any(|r| !ids.contains(r.threat.as_str()))
        {
            return;
        }
        let used: std::collections::BTreeSet<&str> =
            raids.iter().map(|r| r.threat.as_str()).collect();
        let launched: Vec<&ThreatClass> = threats
            .iter()
            .filter(|t| used.contains(t.id.as_str()))
            .collect();
        let mut first_unit: BTreeMap<&str, &Effector> = BTreeMap::new();
        for e in effectors {
            first_unit.entry(e.group.as_str()).or_insert(e);
        }
        let groups = std::mem::take(&mut self.effector_groups);
        for (group, span, path, _) in groups {
            let Some(e) = first_unit.get(group.as_str()) else {
                continue;
            };
            let useful = launched.iter().any(|t| match &e.role {
                EffectorRole::Shooter(w) => w.can_engage(t) && w.pk_against(t) > 0.0,
                EffectorRole::Jammer(j) => j.p_defeat_against(t) > 0.0,
            });
            if useful {
                continue;
            }
            let (role, verb) = match e.role {
                EffectorRole::Shooter(_) => ("effector", "engage"),
                EffectorRole::Jammer(_) => ("jammer", "defeat"),
            };
            self.cx.error(
                span,
                path,
                DiagnosticKind::UselessEffector {
                    role,
                    verb,
                    id: group.clone(),
                    launched: launched
                        .iter()
                        .map(|t| format!("`{}` ({}, {})", t.id, t.kind, t.guidance))
                        .collect(),
                },
            );
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
            Point::new(
                center.east + r * libm::cos(a),
                center.north + r * libm::sin(a),
            )
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
