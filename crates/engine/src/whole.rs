//! Whole milliseconds from a float: `ceil`, `floor` and `round` followed
//! by `as Millis`, without a call into the platform's maths library.
//!
//! Without SSE4.1 (the baseline x86-64 target) `f64::ceil` and friends are
//! calls into libm (about 3% of a loss-system night went to `round` and
//! `ceil`). These take the integer part with one conversion and correct
//! it by comparing back, which is exact: below 2^52 a float's integer part
//! and its fractional part are both representable, and from 2^52 on every
//! float is a whole number. Each gives exactly what the `std` expression
//! gives for every input, NaN and the infinities included (the tests
//! compare them), so swapping one for the other changes no output.

use rampart_model::Millis;

/// 2^52: from here on every float is a whole number.
const WHOLE: f64 = 4_503_599_627_370_496.0;

/// `x.ceil() as Millis`.
#[inline]
pub(crate) fn ceil(x: f64) -> Millis {
    let r = x as Millis;
    // Without branches: a fractional part is as good as random, and a
    // mispredicted branch costs more than the call it replaces.
    r + Millis::from((r as f64) < x && x < WHOLE)
}

/// `x.floor() as Millis`.
#[inline]
pub(crate) fn floor(x: f64) -> Millis {
    let r = x as Millis;
    r - Millis::from((r as f64) > x && x > -WHOLE)
}

/// `x.round() as Millis` (halves away from zero).
#[inline]
pub(crate) fn round(x: f64) -> Millis {
    let r = x as Millis;
    // Below 2^52 `frac` is the exact fractional part of `x`; from there on
    // `x` is whole (or `r` saturated, or NaN and 0), and `r` stands.
    let frac = x - r as f64;
    let small = x.abs() < WHOLE;
    r + Millis::from(small && frac >= 0.5) - Millis::from(small && frac <= -0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agree(x: f64) {
        assert_eq!(ceil(x), x.ceil() as Millis, "ceil({x:e})");
        assert_eq!(floor(x), x.floor() as Millis, "floor({x:e})");
        assert_eq!(round(x), x.round() as Millis, "round({x:e})");
    }

    #[test]
    fn edges_agree_with_std() {
        let specials = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            0.5000000000000001,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            1e-300,
            WHOLE - 0.5,
            -(WHOLE - 0.5),
            WHOLE,
            -WHOLE,
            WHOLE + 1.0,
            2.0 * WHOLE,
            9.223372036854775e18,
            9.223372036854776e18,
            -9.223372036854776e18,
            -9.223372036854778e18,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for x in specials {
            agree(x);
            agree(x.next_up());
            agree(x.next_down());
        }
    }

    proptest! {
        #[test]
        fn any_float_agrees_with_std(bits in any::<u64>()) {
            agree(f64::from_bits(bits));
        }

        #[test]
        fn times_of_a_night_agree_with_std(x in -1e12f64..1e12) {
            agree(x);
            agree(x / 1e6);
        }

        #[test]
        fn halves_agree_with_std(k in -(1i64 << 53)..(1i64 << 53)) {
            let x = k as f64 / 2.0;
            agree(x);
            agree(x.next_up());
            agree(x.next_down());
        }
    }
}
