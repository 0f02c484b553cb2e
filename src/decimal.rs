//! Decimal text to the nearest `f64`, exactly as `str::parse::<f64>` rounds it (round to
//! nearest, ties to even), without the standard library's float parser.
//!
//! Why: the standard parser carries a 10 kB table of powers of five (Eisel-Lemire) and its
//! decimal fallback, about 9 kB of the gzipped browser module, and the JSON reader
//! ([`crate::json`]) is its only user there. This one is small and exact instead of fast on
//! every input:
//! - **Fast path** (nearly every number in posts.json and layout.json): at most 15 significant
//!   digits and a decimal exponent within +-22, where the digits and the power of ten are both
//!   exact `f64`s, so one multiplication or division rounds once, correctly (Clinger's rule).
//! - **Otherwise** an estimate within a few units in the last place (the first 19 digits times
//!   binary powers of ten), then corrected one unit at a time by comparing the exact value,
//!   in big integers, with the halfway points on either side of the estimate.
//!
//! Digits past the 800th only matter as "something non-zero follows" (a correctly rounded
//! `f64` needs at most 768 significant digits to decide), so a megabyte of digits costs no more
//! than 800. Every step is integer arithmetic or an exact `f64` operation, so native builds
//! and wasm give the same bits; `tests/json_props.rs` and the unit tests below compare it with
//! `str::parse::<f64>` on generated and hand-picked hard cases.

/// Significant digits kept; past them only whether any is non-zero counts.
const MAX_DIGITS: usize = 800;

/// The nearest `f64` to `text`, a JSON number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
/// which the caller has checked; other text gives an unspecified value, never a panic).
/// Beyond the range of `f64` it is an infinity, as `str::parse` gives.
pub fn parse_f64(text: &str) -> f64 {
    let bytes = text.as_bytes();
    let (negative, rest) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let magnitude = parse_magnitude(rest);
    if negative { -magnitude } else { magnitude }
}

fn parse_magnitude(bytes: &[u8]) -> f64 {
    // value = digits (as an integer) * 10^exp10
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let mut tail = false;
    let mut point = false;
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'0'..=b'9' => {
                if point {
                    exp10 -= 1;
                }
                if digits.is_empty() && c == b'0' {
                    // a leading zero
                } else if digits.len() < MAX_DIGITS {
                    digits.push(c - b'0');
                } else {
                    tail |= c != b'0';
                    exp10 += 1;
                }
            }
            b'.' => point = true,
            _ => break,
        }
        i += 1;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative = bytes.get(i) == Some(&b'-');
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let mut e: i64 = 0;
        while let Some(&c @ b'0'..=b'9') = bytes.get(i) {
            e = (e * 10 + i64::from(c - b'0')).min(1_000_000_000);
            i += 1;
        }
        exp10 += if negative { -e } else { e };
    }
    if digits.is_empty() {
        return 0.0;
    }
    if tail {
        // Stands for the non-zero digits dropped: never changes the rounding, breaks ties up.
        digits.push(1);
        exp10 -= 1;
    }
    let n = digits.len() as i64;
    // 10^(n-1+exp10) <= value < 10^(n+exp10)
    if n + exp10 > 310 {
        return f64::INFINITY;
    }
    if n + exp10 < -324 {
        return 0.0;
    }
    if n <= 15 && (-22..=22).contains(&exp10) {
        let m = digits.iter().fold(0u64, |m, &d| m * 10 + u64::from(d)) as f64;
        let p = POW10_EXACT[exp10.unsigned_abs() as usize];
        return if exp10 >= 0 { m * p } else { m / p };
    }
    slow(&digits, exp10)
}

/// 10^0 ..= 10^22, each exact in `f64`.
const POW10_EXACT: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// 10^(2^k) for k = 0..9, each the nearest `f64` (exact up to 10^16).
const POW10_BINARY: [f64; 9] = [1e1, 1e2, 1e4, 1e8, 1e16, 1e32, 1e64, 1e128, 1e256];

/// The estimate, then exact corrections (see the module docs).
fn slow(digits: &[u8], exp10: i64) -> f64 {
    // The estimate: the first 19 digits times 10^e, in two halves so that no partial product
    // leaves the range of f64 while the result is inside it.
    let head = digits.len().min(19);
    let m = digits[..head]
        .iter()
        .fold(0u64, |m, &d| m * 10 + u64::from(d)) as f64;
    let e = exp10 + (digits.len() - head) as i64;
    let half = e / 2;
    let mut z = scale10(scale10(m, half), e - half);
    z = z.max(f64::from_bits(1)).min(f64::MAX);

    // The exact value is big / 10^-exp10 (exp10 < 0) or big * 10^exp10.
    let mut big = Big::from_digits(digits);
    let power = Big::pow10(exp10.unsigned_abs());
    if exp10 >= 0 {
        big = big.mul(&power);
    }
    // At most a few dozen steps: the estimate is within a few units in the last place.
    for _ in 0..200 {
        let (mz, ez) = decompose(z);
        // Halfway points above and below z, as k * 2^(ez - 2).
        let above = 4 * mz + 2;
        let below = if mz == 1 << 52 && ez > -1074 {
            4 * mz - 1
        } else {
            4 * mz - 2
        };
        match compare(&big, &power, exp10 < 0, above, ez - 2) {
            core::cmp::Ordering::Greater => {
                z = f64::from_bits(z.to_bits() + 1);
                if z.is_infinite() {
                    return z;
                }
                continue;
            }
            core::cmp::Ordering::Equal => {
                return if mz & 1 == 1 {
                    f64::from_bits(z.to_bits() + 1)
                } else {
                    z
                };
            }
            core::cmp::Ordering::Less => {}
        }
        match compare(&big, &power, exp10 < 0, below, ez - 2) {
            core::cmp::Ordering::Less => {
                if z.to_bits() == 1 {
                    return 0.0; // below half the smallest subnormal
                }
                z = f64::from_bits(z.to_bits() - 1);
            }
            core::cmp::Ordering::Equal => {
                return if mz & 1 == 1 {
                    f64::from_bits(z.to_bits() - 1)
                } else {
                    z
                };
            }
            core::cmp::Ordering::Greater => return z,
        }
    }
    z
}

/// `x * 10^e` in floating point (an estimate: a few roundings).
fn scale10(mut x: f64, e: i64) -> f64 {
    let mut k = e.unsigned_abs();
    let mut bit = 0;
    while k > 0 && bit < POW10_BINARY.len() {
        if k & 1 == 1 {
            x = if e >= 0 {
                x * POW10_BINARY[bit]
            } else {
                x / POW10_BINARY[bit]
            };
        }
        k >>= 1;
        bit += 1;
    }
    if k > 0 {
        // Beyond 10^511: out of range either way.
        x = if e >= 0 { f64::INFINITY } else { 0.0 };
    }
    x
}

/// A positive finite `f64` as `m * 2^e` with `m` its integer significand.
fn decompose(z: f64) -> (u64, i64) {
    let bits = z.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    if exponent == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, exponent - 1075)
    }
}

/// Compares the exact value (`big`, divided by `power` when `divide`) with `k * 2^h`.
fn compare(big: &Big, power: &Big, divide: bool, k: u64, h: i64) -> core::cmp::Ordering {
    let mut left = big.clone();
    let mut right = Big::from_u64(k);
    if divide {
        right = right.mul(power);
    }
    if h >= 0 {
        right.shl(h as u64);
    } else {
        left.shl(h.unsigned_abs());
    }
    left.cmp(&right)
}

/// A non-negative big integer, 32-bit limbs, least significant first, no high zero limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(x: u64) -> Big {
        let mut b = Big(vec![x as u32, (x >> 32) as u32]);
        b.trim();
        b
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::new());
        for chunk in digits.chunks(9) {
            let value = chunk.iter().fold(0u32, |v, &d| v * 10 + u32::from(d));
            b.mul_add_small(10u32.pow(chunk.len() as u32), value);
        }
        b
    }

    fn pow10(e: u64) -> Big {
        let mut b = Big::from_u64(1);
        let mut left = e;
        while left > 0 {
            let step = left.min(9);
            b.mul_add_small(10u32.pow(step as u32), 0);
            left -= step;
        }
        b
    }

    /// `self * m + a`.
    fn mul_add_small(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let x = u64::from(*limb) * u64::from(m) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn mul(&self, other: &Big) -> Big {
        let mut out = vec![0u32; self.0.len() + other.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.0.iter().enumerate() {
                let x = u64::from(out[i + j]) + u64::from(a) * u64::from(b) + carry;
                out[i + j] = x as u32;
                carry = x >> 32;
            }
            let mut k = i + other.0.len();
            while carry > 0 {
                let x = u64::from(out[k]) + carry;
                out[k] = x as u32;
                carry = x >> 32;
                k += 1;
            }
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn shl(&mut self, bits: u64) {
        if self.0.is_empty() {
            return;
        }
        let (limbs, bits) = ((bits / 32) as usize, (bits % 32) as u32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let x = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = x;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if limbs > 0 {
            self.0.splice(0..0, core::iter::repeat_n(0, limbs));
        }
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn cmp(&self, other: &Big) -> core::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn same(text: &str) {
        let want: f64 = text.parse().expect("a number");
        let got = parse_f64(text);
        assert_eq!(got.to_bits(), want.to_bits(), "{text}: {got:e} vs {want:e}");
    }

    #[test]
    fn hard_cases_round_as_the_standard_parser_does() {
        for text in [
            "0",
            "-0",
            "0.0",
            "1",
            "-1",
            "0.1",
            "0.2",
            "0.3",
            "1e22",
            "1e23",
            "1e-22",
            "1e-23",
            "123456789012345678901234567890",
            "9007199254740992",
            "9007199254740993",
            "9007199254740994",
            "9007199254740995",
            "9007199254740993.0000000000000000001",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e308",
            "1e309",
            "1e-324",
            "1e-400",
            "1e400",
            "0e400",
            "3.14159265358979323846",
            "5e-324",
            "8.98846567431158e307",
            "1.448997445238699",
            "123.456e-310",
            "0.000000000000000000000000000000000000000000001",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "7.2057594037927933e16",
            "1e-1000000000",
            "1e1000000000",
        ] {
            same(text);
        }
        let long = format!("1.{}1e5", "0".repeat(5000));
        same(&long);
        same(&format!("{}e-5000", "9".repeat(5000)));
    }

    #[test]
    fn random_numbers_round_as_the_standard_parser_does() {
        let mut rng = Rng::new(17, 0);
        for _ in 0..20_000 {
            let x = f64::from_bits(rng.next_u64());
            if !x.is_finite() {
                continue;
            }
            same(&format!("{x:e}"));
            same(&format!("{x}"));
            if (x as f32).is_finite() {
                same(&format!("{:e}", x as f32));
            }
            // Digits cut short, with a random exponent: mostly not the shortest form of any f64.
            let digits = format!("{:.17e}", x.abs());
            let mantissa = digits.split('e').next().unwrap_or("1");
            let cut = &mantissa[..(3 + (rng.next_u64() % 16) as usize).min(mantissa.len())];
            let exp = (rng.next_u64() % 700) as i64 - 350;
            same(&format!("{cut}e{exp}"));
        }
    }

    /// The decimal digits of `b`.
    fn decimal(b: &Big) -> String {
        let mut limbs = b.0.clone();
        let mut chunks = Vec::new();
        while !limbs.is_empty() {
            let mut rem = 0u64;
            for limb in limbs.iter_mut().rev() {
                let x = (rem << 32) | u64::from(*limb);
                *limb = (x / 1_000_000_000) as u32;
                rem = x % 1_000_000_000;
            }
            while limbs.last() == Some(&0) {
                limbs.pop();
            }
            chunks.push(rem);
        }
        let mut out = chunks.pop().map_or("0".to_owned(), |c| c.to_string());
        for c in chunks.iter().rev() {
            out.push_str(&format!("{c:09}"));
        }
        out
    }

    #[test]
    fn halfway_points_tie_to_even_and_anything_above_rounds_up() {
        let mut rng = Rng::new(5, 0);
        for _ in 0..2_000 {
            // Normal numbers across the range, and subnormals.
            let bits = rng.next_u64() & !(1 << 63);
            let x = f64::from_bits(bits);
            if !x.is_finite() || x == f64::MAX {
                continue;
            }
            let (m, e) = decompose(x);
            // (2m + 1) * 2^(e - 1), written exactly in decimal.
            let (digits, exp10) = if e >= 1 {
                let mut b = Big::from_u64(2 * m + 1);
                b.shl((e - 1) as u64);
                (decimal(&b), 0)
            } else {
                let k = (1 - e) as u64;
                let mut b = Big::from_u64(2 * m + 1);
                for _ in 0..k {
                    b.mul_add_small(5, 0);
                }
                (decimal(&b), -(k as i64))
            };
            same(&format!("{digits}e{exp10}"));
            same(&format!("{digits}1e{}", exp10 - 1));
        }
    }
}
