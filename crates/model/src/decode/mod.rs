//! From text to a validated [`Scenario`]: syntax, types, units, then cross-checks.

mod assets;
mod catalogue;
mod doctrine;
mod effector;
mod header;
mod placement;
mod raid;
mod sensor;
mod syntax;
mod threat;
mod variants;
mod xref;

use catalogue::{Base, RawCatalogue};
use doctrine::default_doctrine;
use header::Header;
pub use placement::spread;
use placement::unit_ids;
pub(crate) use syntax::parse_tree;
use variants::check_variants;
use xref::{Ref, RefKind};

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

/// The built-in catalogue, as TOML text.
pub const CATALOGUE_TOML: &str = include_str!("../catalogue.toml");

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

fn finish(cx: Cx<'_>, scenario: Option<Scenario>) -> Checked {
    let mut diagnostics = cx.diags;
    diagnostics.sort_by_key(|d| (d.location.line, d.location.column));
    Checked {
        scenario,
        diagnostics,
    }
}

/// The namespaces of declared ids: an id is unique within its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Namespace {
    Threat,
    LaunchSite,
    Asset,
    Sensor,
    Effector,
    Raid,
}

impl Namespace {
    /// How diagnostics name it.
    fn as_str(self) -> &'static str {
        match self {
            Namespace::Threat => "threat",
            Namespace::LaunchSite => "launch site",
            Namespace::Asset => "asset",
            Namespace::Sensor => "sensor",
            Namespace::Effector => "effector",
            Namespace::Raid => "raid",
        }
    }
}

struct Decoder<'x, 's, 'c> {
    cx: &'x mut Cx<'s>,
    catalogue: &'c RawCatalogue<'c>,
    refs: Vec<Ref>,
    /// Declared ids per namespace, with the span of their definition.
    ids: BTreeMap<Namespace, BTreeMap<String, Span>>,
    duration: Option<Millis>,
    /// Effector declarations: (id, span, units made).
    effector_groups: Vec<EffectorGroup>,
    /// Raid target selections: (raid id, span of `target`, path).
    raid_targets: Vec<(String, Span, String)>,
    /// Cities named by raid targets: (name, span, path).
    city_refs: Vec<(String, Span, String)>,
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
            city_refs: Vec::new(),
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
    fn id(&mut self, t: &Tbl<'_, '_>, namespace: Namespace) -> Option<String> {
        let what = namespace.as_str();
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
        } else if let Some(meaning) = self.reserved(namespace, &id, t) {
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
        let ids = self.ids.entry(namespace).or_default();
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
    fn reserved(&self, namespace: Namespace, id: &str, t: &Tbl<'_, '_>) -> Option<String> {
        let what = namespace.as_str();
        let own_class = t.table.get("class").and_then(|v| v.get_ref().as_str());
        let (kinds, classes): (&[&str], Vec<&str>) = match namespace {
            Namespace::Threat => (
                ThreatKind::NAMES,
                self.catalogue.threats.iter().map(|(i, _)| *i).collect(),
            ),
            Namespace::Effector => (
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

    fn declared(&self, namespace: Namespace) -> Vec<String> {
        self.ids
            .get(&namespace)
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn root(mut self, root: &DeTable<'_>) -> Option<Scenario> {
        let t = Tbl::from_table(self.cx, root, 0..0, String::new(), &spec::ROOT);
        let header = self.scenario_header(&t);
        let tracking = self.tracking(&t);
        let conditions = self.conditions(&t);
        let hindcast = self.hindcast(&t);
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
        let Header {
            name,
            description,
            seed,
            duration,
            origin,
            outline,
        } = header?;
        Some(Scenario {
            name,
            description,
            seed,
            duration,
            origin,
            outline,
            tracking: tracking?,
            conditions: conditions?,
            assets,
            sensors,
            effectors,
            threats,
            launch_sites,
            raids,
            doctrine: doctrine?,
            variants,
            hindcast: hindcast?,
        })
    }
}

/// An `[[effector]]` table as written (one group of units): its id, where
/// it is, and its path, for diagnostics about the whole group.
#[derive(Debug, Clone)]
pub(crate) struct EffectorGroup {
    pub group: String,
    pub span: Span,
    pub path: String,
}
