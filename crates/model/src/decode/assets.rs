//! `[[asset]]` and `[[launch_site]]` tables.

use super::*;

impl<'x, 's, 'c> Decoder<'x, 's, 'c> {
    pub(super) fn launch_site(&mut self, t: &Tbl<'_, '_>) -> Option<LaunchSite> {
        let id = self.id(t, Namespace::LaunchSite);
        let position = {
            let v = t.point(self.cx, "position");
            t.need(self.cx, "position", v)
        };
        Some(LaunchSite {
            id: id?,
            position: position?,
        })
    }

    pub(super) fn asset(&mut self, t: &Tbl<'_, '_>) -> Option<Asset> {
        let id = self.id(t, Namespace::Asset);
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
        let city = t.string(cx, "city");
        if t.has("city") && city.is_none() {
            return None;
        }
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
            city,
        })
    }
}
