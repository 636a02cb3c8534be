//! Engine ids: one newtype per kind of thing, so that a unit index can never
//! be passed where a threat index is expected.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $name(u32);

        impl $name {
            /// The id of the `i`-th thing of its kind (ids fit in 32 bits:
            /// the model bounds every count far below).
            pub(crate) fn new(i: usize) -> Self {
                debug_assert!(u32::try_from(i).is_ok());
                $name(i as u32)
            }

            /// Its position in the arrays of its kind.
            pub(crate) fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// A threat of the night: index into `Night::threats`.
    ThreatId
);
id!(
    /// An effector unit: index into `Scenario::effectors`.
    UnitId
);
id!(
    /// An engagement window: index into the engagement index's windows.
    WindowId
);
id!(
    /// An engagement in progress or done: index into the engine's engagements.
    EngagementId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_order_by_index() {
        assert_eq!(ThreatId::new(7).index(), 7);
        assert!(UnitId::new(2) < UnitId::new(3));
    }
}
