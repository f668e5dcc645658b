//! A quantity as the API server stores and prints it: `SetDefaults_ResourceList` rounds it up
//! to milli-units (`pkg/apis/core/v1/defaults.go`), then `Quantity.String()` writes its
//! canonical form (`k8s.io/apimachinery/pkg/api/resource/quantity.go` `CanonicalizeBytes`,
//! `amount.go` `AsCanonicalBytes` / `AsCanonicalBase1024Bytes`):
//!
//! * the format is the written suffix's: binary SI (`Ki`…`Ei`), decimal exponent (`e3`), or
//!   decimal SI (everything else);
//! * binary SI stays binary only for whole values of at least 1024 in magnitude, written with
//!   the largest power of 1024 that divides them (`1024Mi` → `1Gi`, `1536Mi` stays); others
//!   fall back to decimal SI (`1.5Ki` → `1536`, `0.5Ki` → `512`);
//! * decimal forms drop factors of ten and then lower the exponent to a multiple of three
//!   (`0.5` → `500m`, `1000m` → `1`, `2000` → `2k`, `1500` stays, `1e3` stays `1e3`).
//!
//! Used for the resources of pod specs, so revision hashes and `-o yaml` match a real
//! cluster's for templates written with non-canonical quantities.

use super::quantity::parse;

const NANO_PER_MILLI: i128 = 1_000_000;

#[derive(Clone, Copy, PartialEq)]
enum Format {
    BinarySI,
    DecimalExponent,
    DecimalSI,
}

fn format_of(s: &str) -> Format {
    let suffix = s.trim().trim_start_matches(['+', '-']);
    let suffix = suffix.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if suffix.ends_with('i') {
        Format::BinarySI
    } else if (suffix.starts_with('e') || suffix.starts_with('E')) && suffix.len() > 1 {
        Format::DecimalExponent
    } else {
        Format::DecimalSI
    }
}

/// The canonical text of a valid quantity; `None` for text that is not one.
pub fn canonical(s: &str) -> Option<String> {
    let nano = parse(s)?.0;
    // RoundUp(-3): away from zero, to whole milli-units.
    let milli = if nano % NANO_PER_MILLI == 0 {
        nano / NANO_PER_MILLI
    } else {
        nano / NANO_PER_MILLI + nano.signum()
    };
    let mut format = format_of(s);
    if format == Format::BinarySI && (milli.abs() < 1024 * 1000 || milli % 1000 != 0) {
        format = Format::DecimalSI;
    }
    if format == Format::BinarySI {
        let mut n = milli / 1000;
        let mut exp = 0;
        while exp < 6 && n % 1024 == 0 {
            n /= 1024;
            exp += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
        return Some(format!("{n}{suffix}"));
    }
    if milli == 0 {
        return Some("0".into());
    }
    let (mut mantissa, mut exp) = (milli, -3i32);
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exp += 1;
    }
    match exp.rem_euclid(3) {
        1 => {
            mantissa *= 10;
            exp -= 1;
        }
        2 => {
            mantissa *= 100;
            exp -= 2;
        }
        _ => {}
    }
    let suffix = match format {
        Format::DecimalExponent if exp == 0 => String::new(),
        Format::DecimalExponent => format!("e{exp}"),
        _ => match exp {
            -3 => "m".into(),
            0 => String::new(),
            3 => "k".into(),
            6 => "M".into(),
            9 => "G".into(),
            12 => "T".into(),
            15 => "P".into(),
            18 => "E".into(),
            // Beyond exa: Go writes the exponent form.
            e => format!("e{e}"),
        },
    };
    Some(format!("{mantissa}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_forms_match_apimachinery() {
        // k8s.io/apimachinery/pkg/api/resource/quantity_test.go (v0.35.0): TestQuantityString's
        // expected strings, written in each case's format (alternate spellings where given),
        // and TestQuantityParseEmit — the cases at milli precision or coarser.
        for (input, want) in [
            ("1024Mi", "1Gi"),
            ("307200Ki", "300Mi"),
            ("6Ki", "6Ki"),
            ("1025024Mi", "1001Gi"),
            ("1024Gi", "1Ti"),
            ("1000M", "1G"),
            ("0.001T", "1G"),
            ("1000u", "1m"),
            ("80m", "80m"),
            ("1.08", "1080m"),
            ("300M", "300M"),
            ("1234567M", "1234567M"),
            ("3k", "3k"),
            (".001e12", "1e9"),
            ("0.001e0", "1e-3"),
            ("80e-3", "80e-3"),
            ("300e6", "300e6"),
            ("1e3", "1e3"),
            ("00", "0"),
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        // Binary SI below 1024 or with a fraction is printed in decimal SI.
        for (input, want) in [("1.5Ki", "1536"), ("0.5Ki", "512"), ("1536Mi", "1536Mi")] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        // SetDefaults_ResourceList's RoundUp(-3) first: finer than a milli-unit rounds up.
        for (input, want) in [
            ("1n", "1m"),
            ("1.1m", "2m"),
            (".000001Ki", "2m"),
            ("-0.5", "-500m"),
        ] {
            assert_eq!(canonical(input).as_deref(), Some(want), "{input}");
        }
        assert_eq!(canonical("1.5.5Gi"), None);
        assert_eq!(canonical(""), None);
    }
}
