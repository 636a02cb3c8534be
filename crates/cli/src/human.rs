//! Numbers for people: dollars with `$` and thousands separators, whole
//! numbers without decimals.

/// `x` with `decimals` decimals and a comma every three digits:
/// `thousands(1234567.891, 1)` is `1,234,567.9`.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    let negative = x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative { format!("-{out}") } else { out }
}

/// Dollars, whole: `money(407227500.0)` is `$407,227,500`.
pub fn money(x: f64) -> String {
    let t = thousands(x, 0);
    match t.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${t}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_signs_and_dollars() {
        assert_eq!(thousands(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(1000.0, 0), "1,000");
        assert_eq!(thousands(-0.04, 1), "0.0");
        assert_eq!(thousands(-12_345.0, 0), "-12,345");
        assert_eq!(money(407_227_500.0), "$407,227,500");
        assert_eq!(money(-1_500.0), "-$1,500");
        assert_eq!(money(0.0), "$0");
    }
}
