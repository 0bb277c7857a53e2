//! Text encodings of CSV files: the ones Panorama reads, their names, and how one is detected.
//!
//! Detection order: a byte-order mark decides; then UTF-16 without a mark is recognised by its
//! NUL bytes; then text that is valid UTF-8 over the sample is UTF-8, and so is text most of
//! whose non-ASCII lines are (its other lines are rejected rows); anything else is a Chinese
//! legacy encoding, GB18030 unless `chardetng` finds Big5 likelier.

use crate::codes::{UNKNOWN_ENCODING, WRONG_ENCODING};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use panorama_core::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A text encoding Panorama reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte-order mark. Decoded strictly.
    Utf8,
    /// UTF-16 little-endian: Excel's "Unicode text".
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// GBK, simplified Chinese (decoded as its superset GB18030).
    Gbk,
    /// GB18030, simplified Chinese.
    Gb18030,
    /// Big5, traditional Chinese.
    Big5,
}

impl TextEncoding {
    /// Every encoding, in the order they are offered to people.
    pub const ALL: [TextEncoding; 6] = [
        Self::Utf8,
        Self::Utf16Le,
        Self::Utf16Be,
        Self::Gbk,
        Self::Gb18030,
        Self::Big5,
    ];

    /// The name people and the CLI use (`utf-8`, `gbk`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Gbk => "gbk",
            Self::Gb18030 => "gb18030",
            Self::Big5 => "big5",
        }
    }

    /// Parse a name case-insensitively; `utf8`, `utf-16` (little-endian) and `cp936` are accepted too.
    pub fn parse(name: &str) -> Result<Self> {
        let folded = name.trim().to_ascii_lowercase().replace('_', "-");
        let found = match folded.as_str() {
            "utf-8" | "utf8" => Self::Utf8,
            "utf-16le" | "utf-16" | "utf16le" | "utf16" => Self::Utf16Le,
            "utf-16be" | "utf16be" => Self::Utf16Be,
            "gbk" | "cp936" | "gb2312" => Self::Gbk,
            "gb18030" => Self::Gb18030,
            "big5" | "big-5" | "cp950" => Self::Big5,
            _ => {
                let names: Vec<&str> = Self::ALL.iter().map(|e| e.name()).collect();
                return Err(Error::invalid(
                    UNKNOWN_ENCODING,
                    format!("the encoding must be one of {}", names.join(", ")),
                    "encoding",
                    name,
                ));
            }
        };
        Ok(found)
    }

    /// The `encoding_rs` decoder behind this encoding.
    pub(crate) fn decoder(self) -> &'static encoding_rs::Encoding {
        match self {
            Self::Utf8 => encoding_rs::UTF_8,
            Self::Utf16Le => encoding_rs::UTF_16LE,
            Self::Utf16Be => encoding_rs::UTF_16BE,
            Self::Gbk => encoding_rs::GBK,
            Self::Gb18030 => encoding_rs::GB18030,
            Self::Big5 => encoding_rs::BIG5,
        }
    }

    /// Whether bytes are transcoded (so malformed input becomes U+FFFD rather than an error).
    pub(crate) fn is_transcoded(self) -> bool {
        self != Self::Utf8
    }

    /// Whether this is one of the UTF-16 forms.
    pub(crate) fn is_utf16(self) -> bool {
        matches!(self, Self::Utf16Le | Self::Utf16Be)
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for TextEncoding {
    type Err = Error;
    fn from_str(name: &str) -> Result<Self> {
        Self::parse(name)
    }
}

/// The encoding of a text file and the length of its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Detected {
    pub encoding: TextEncoding,
    pub bom_bytes: usize,
}

/// The encoding a byte-order mark announces, with the mark's length.
pub(crate) fn from_bom(head: &[u8]) -> Option<Detected> {
    let (encoding, bom_bytes) = match head {
        [0xEF, 0xBB, 0xBF, ..] => (TextEncoding::Utf8, 3),
        [0xFF, 0xFE, ..] => (TextEncoding::Utf16Le, 2),
        [0xFE, 0xFF, ..] => (TextEncoding::Utf16Be, 2),
        _ => return None,
    };
    Some(Detected {
        encoding,
        bom_bytes,
    })
}

/// Detect the encoding of a file from its first bytes, or check the operator's choice against
/// them. `whole` says the sample is the entire file (so a cut character at its end is an error).
pub(crate) fn detect(sample: &[u8], whole: bool, forced: Option<TextEncoding>) -> Result<Detected> {
    let bom = from_bom(sample);
    let Some(forced) = forced else {
        return Ok(bom.unwrap_or_else(|| Detected {
            encoding: guess(sample, whole),
            bom_bytes: 0,
        }));
    };
    if let Some(bom) = bom.filter(|b| b.encoding != forced) {
        return Err(Error::invalid(
            WRONG_ENCODING,
            format!(
                "the file starts with a {} byte-order mark, so it is not {forced}; leave the encoding to detection",
                bom.encoding
            ),
            "encoding",
            forced,
        ));
    }
    let legacy = matches!(
        forced,
        TextEncoding::Gbk | TextEncoding::Gb18030 | TextEncoding::Big5
    );
    if legacy && !sample.is_ascii() && is_utf8(sample, whole) {
        return Err(Error::invalid(
            WRONG_ENCODING,
            format!(
                "the file is UTF-8 text, not {forced}; choose utf-8 or leave the encoding to detection"
            ),
            "encoding",
            forced,
        ));
    }
    Ok(Detected {
        encoding: forced,
        bom_bytes: bom.map_or(0, |b| b.bom_bytes),
    })
}

fn guess(sample: &[u8], whole: bool) -> TextEncoding {
    // NUL bytes are valid UTF-8, so UTF-16 is looked for first; no text file has them otherwise.
    if let Some(utf16) = utf16_without_bom(sample) {
        utf16
    } else if is_utf8(sample, whole) || mostly_utf8(sample, whole) {
        TextEncoding::Utf8
    } else {
        guess_chinese(sample)
    }
}

/// GB18030 or Big5, whichever `chardetng` finds likelier for these bytes; GB18030 by default.
pub(crate) fn guess_chinese(bytes: &[u8]) -> TextEncoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    if detector.guess(None, Utf8Detection::Deny) == encoding_rs::BIG5 {
        TextEncoding::Big5
    } else {
        TextEncoding::Gb18030
    }
}

/// Valid UTF-8, allowing a character cut by the end of a sample that is not the whole file.
/// Whether a sample that is not all UTF-8 is UTF-8 with a few bad rows: at least as many of its
/// lines are valid UTF-8 with non-ASCII text as are not UTF-8. Legacy Chinese text almost never
/// forms a valid UTF-8 line, so a valid non-ASCII line is strong evidence; reading such a file as
/// GBK would garble every good row to save the bad ones, which are rejected instead.
fn mostly_utf8(sample: &[u8], whole: bool) -> bool {
    let mut lines: Vec<&[u8]> = sample.split(|b| *b == b'\n').collect();
    if !whole {
        // The last line may be cut inside a character.
        lines.pop();
    }
    let (mut good, mut bad) = (0usize, 0usize);
    for line in lines {
        match std::str::from_utf8(line) {
            Ok(text) if !text.is_ascii() => good += 1,
            Ok(_) => {}
            Err(_) => bad += 1,
        }
    }
    good > 0 && good >= bad
}

fn is_utf8(sample: &[u8], whole: bool) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        // `error_len() == None` means the bytes end inside a character that may go on.
        Err(e) => !whole && e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

/// UTF-16 text without a byte-order mark: ASCII characters leave a NUL in every other byte.
fn utf16_without_bom(sample: &[u8]) -> Option<TextEncoding> {
    let head = &sample[..sample.len().min(crate::BINARY_CHECK_BYTES)];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let nul_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    // Mostly Latin text: at least half the high bytes are NUL, and the low bytes almost never.
    let looks = |high: usize, low: usize| high * 2 >= pairs && low * 20 <= pairs;
    if looks(odd, even) {
        Some(TextEncoding::Utf16Le)
    } else if looks(even, odd) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(sample: &[u8], whole: bool) -> TextEncoding {
        detect(sample, whole, None).map_or(TextEncoding::Big5, |d| d.encoding)
    }

    #[test]
    fn a_bom_decides_first() {
        let bom = |bytes: &[u8]| detect(bytes, true, None).ok();
        let found = |encoding, bom_bytes| {
            Some(Detected {
                encoding,
                bom_bytes,
            })
        };
        assert_eq!(bom(b"\xEF\xBB\xBFa,b"), found(TextEncoding::Utf8, 3));
        assert_eq!(bom(b"\xFF\xFEa\0"), found(TextEncoding::Utf16Le, 2));
        assert_eq!(bom(b"\xFE\xFF\0a"), found(TextEncoding::Utf16Be, 2));
    }

    #[test]
    fn a_character_cut_by_the_sample_end_is_still_utf8() {
        let text = "姓名,手机\n".as_bytes();
        let cut = &text[..4];
        assert_eq!(detected(cut, false), TextEncoding::Utf8);
        assert_ne!(
            detected(cut, true),
            TextEncoding::Utf8,
            "a whole file may not end mid-character"
        );
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_nul_bytes() {
        let little: Vec<u8> = "name\tmobile\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let big: Vec<u8> = "name\tmobile\r\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(detected(&little, true), TextEncoding::Utf16Le);
        assert_eq!(detected(&big, true), TextEncoding::Utf16Be);
    }

    #[test]
    fn names_parse_case_insensitively_and_round_trip() {
        for encoding in TextEncoding::ALL {
            assert_eq!(TextEncoding::parse(encoding.name()).ok(), Some(encoding));
        }
        assert_eq!(
            "GB2312".parse::<TextEncoding>().ok(),
            Some(TextEncoding::Gbk)
        );
        assert_eq!(
            TextEncoding::parse(" UTF_8 ").ok(),
            Some(TextEncoding::Utf8)
        );
        assert_eq!(
            TextEncoding::parse("latin1").map_err(|e| e.code),
            Err(UNKNOWN_ENCODING)
        );
    }
}
