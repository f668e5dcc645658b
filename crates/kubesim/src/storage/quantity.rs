//! Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource`), reduced to what
//! volume binding needs: parse a quantity string exactly and compare two of them.
//!
//! Grammar (as upstream): `<sign><digits>[.<digits>]<suffix>` where suffix is one of
//! binary SI `Ki Mi Gi Ti Pi Ei`, decimal SI `n u m "" k M G T P E`, or a decimal exponent
//! `e<int>` / `E<int>` (`1E` alone is exa, `1E3` is one thousand).
//!
//! Values are held exactly as a count of nano-units in an `i128` (enough for `999Ei`);
//! digits finer than a nano-unit round up, as upstream rounds up when scaling.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// A parsed quantity: an exact number of nano-units (1 = 10^-9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(pub i128);

const NANO: i128 = 1_000_000_000;

impl Amount {
    pub const ZERO: Amount = Amount(0);

    /// The value in whole units, rounded up (upstream `Quantity.Value()`).
    pub fn value(self) -> i128 {
        let q = self.0.div_euclid(NANO);
        if self.0.rem_euclid(NANO) != 0 {
            q + 1
        } else {
            q
        }
    }
}

/// Parses a quantity string; `None` when it is not a valid quantity (or is absurdly large).
pub fn parse(s: &str) -> Option<Amount> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if bytes[0] == b'+' || bytes[0] == b'-' {
        negative = bytes[0] == b'-';
        i = 1;
    }
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = &s[int_start..i];
    let mut frac_digits = "";
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = &s[frac_start..i];
    }
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    let suffix = &s[i..];
    // (multiplier numerator as power of 2, power of 10)
    let (pow2, pow10): (u32, i32) = match suffix {
        "" => (0, 0),
        "Ki" => (10, 0),
        "Mi" => (20, 0),
        "Gi" => (30, 0),
        "Ti" => (40, 0),
        "Pi" => (50, 0),
        "Ei" => (60, 0),
        "n" => (0, -9),
        "u" => (0, -6),
        "m" => (0, -3),
        "k" => (0, 3),
        "M" => (0, 6),
        "G" => (0, 9),
        "T" => (0, 12),
        "P" => (0, 15),
        "E" => (0, 18),
        other => {
            let rest = other
                .strip_prefix('e')
                .or_else(|| other.strip_prefix('E'))?;
            let (sign, digits) = match rest.as_bytes().first() {
                Some(b'-') => (-1, &rest[1..]),
                Some(b'+') => (1, &rest[1..]),
                _ => (1, rest),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 4
            {
                return None;
            }
            let e: i32 = digits.parse().ok()?;
            (0, sign * e)
        }
    };
    // mantissa = int_digits.frac_digits as an integer over 10^len(frac)
    let mut mantissa: i128 = 0;
    for d in int_digits.bytes().chain(frac_digits.bytes()) {
        mantissa = mantissa
            .checked_mul(10)?
            .checked_add(i128::from(d - b'0'))?;
    }
    // nano = mantissa * 2^pow2 * 10^(pow10 + 9 - frac_len)
    let mut value = mantissa.checked_mul(1i128.checked_shl(pow2)?)?;
    let exp10 = pow10 + 9 - i32::try_from(frac_digits.len()).ok()?;
    if exp10 >= 0 {
        for _ in 0..exp10 {
            value = value.checked_mul(10)?;
        }
    } else {
        let mut divisor: i128 = 1;
        for _ in 0..(-exp10) {
            divisor = divisor.checked_mul(10)?;
        }
        let rounded_up = value % divisor != 0;
        value /= divisor;
        if rounded_up {
            value += 1;
        }
    }
    Some(Amount(if negative { -value } else { value }))
}

/// `resource.ErrFormatWrong` (`k8s.io/apimachinery/pkg/api/resource/quantity.go`): the error
/// the API server answers, at decode time, for a string that is not a quantity.
pub const ERR_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `resource.ErrSuffix`: the shape is a quantity's but the suffix is not one.
pub const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

/// Why `ParseQuantity` refuses this string (upstream's texts), or `None` when it is a quantity.
/// Follows `parseQuantityString`: sign, digits, one optional `.digits`, suffix letters from
/// `eEinumkKMGTP`, an optional sign and exponent digits; anything else is `ErrFormatWrong`.
pub fn parse_error(s: &str) -> Option<&'static str> {
    let t = s.trim();
    if parse(t).is_some() {
        return None;
    }
    let b = t.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
    };
    let start = i;
    digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        digits(&mut i);
    }
    if t.is_empty() || i == start {
        return Some(ERR_FORMAT_WRONG);
    }
    while i < b.len() && b"eEinumkKMGTP".contains(&b[i]) {
        i += 1;
    }
    if i < b.len() && matches!(b[i], b'+' | b'-') {
        i += 1;
    }
    digits(&mut i);
    if i < b.len() {
        Some(ERR_FORMAT_WRONG)
    } else {
        Some(ERR_SUFFIX)
    }
}

/// Parses a k8s `Quantity`; invalid strings count as zero (an odd object must not panic).
pub fn amount(q: &Quantity) -> Amount {
    parse(&q.0).unwrap_or(Amount::ZERO)
}

/// Compares two quantities numerically (`Quantity.Cmp`).
pub fn cmp(a: &Quantity, b: &Quantity) -> std::cmp::Ordering {
    amount(a).cmp(&amount(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> i128 {
        parse(s)
            .unwrap_or_else(|| panic!("{s} should parse"))
            .value()
    }

    #[test]
    fn binary_suffixes_are_powers_of_1024() {
        assert_eq!(v("1Ki"), 1024);
        assert_eq!(v("1Mi"), 1024 * 1024);
        assert_eq!(v("1Gi"), 1 << 30);
        assert_eq!(v("2Ti"), 2 << 40);
        assert_eq!(v("1Pi"), 1 << 50);
        assert_eq!(v("1Ei"), 1 << 60);
    }

    #[test]
    fn decimal_suffixes_are_powers_of_1000() {
        assert_eq!(v("1k"), 1000);
        assert_eq!(v("5M"), 5_000_000);
        assert_eq!(v("8G"), 8_000_000_000);
        assert_eq!(v("1T"), 1_000_000_000_000);
        assert_eq!(v("1P"), 1_000_000_000_000_000);
        assert_eq!(v("1E"), 1_000_000_000_000_000_000);
        assert_eq!(v("800E"), 800 * 1_000_000_000_000_000_000);
    }

    #[test]
    fn plain_fraction_milli_and_exponent_forms() {
        assert_eq!(v("100"), 100);
        assert_eq!(parse("500m"), Some(Amount(500_000_000)));
        assert_eq!(v("500m"), 1, "Value() rounds up");
        assert_eq!(v("1.5Gi"), 3 << 29);
        assert_eq!(v("1e3"), 1000);
        assert_eq!(v("1E3"), 1000);
        assert_eq!(v("12e-3"), 1);
        assert_eq!(parse("12e-3"), Some(Amount(12_000_000)));
        assert_eq!(v("0.5"), 1);
        assert_eq!(parse("-1Ki"), Some(Amount(-1024 * NANO)));
        assert_eq!(v(".5k"), 500);
        assert_eq!(parse("1n"), Some(Amount(1)));
    }

    #[test]
    fn invalid_quantities_are_rejected() {
        for bad in ["", "Gi", "1GB", "1gi", "abc", "1.2.3", "1e", "1Ki2", "--1"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn comparison_is_numeric_across_suffixes() {
        let q = |s: &str| Quantity(s.to_string());
        assert_eq!(cmp(&q("1Gi"), &q("1G")), std::cmp::Ordering::Greater);
        assert_eq!(cmp(&q("1000Mi"), &q("1Gi")), std::cmp::Ordering::Less);
        assert_eq!(cmp(&q("1024Mi"), &q("1Gi")), std::cmp::Ordering::Equal);
        assert_eq!(cmp(&q("1e9"), &q("1G")), std::cmp::Ordering::Equal);
        assert_eq!(cmp(&q("950E"), &q("800E")), std::cmp::Ordering::Greater);
    }
}
