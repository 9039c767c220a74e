//! What kind of file this is and how its text is encoded.

use encoding_rs::Encoding;

/// The container of a file, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Delimited text (CSV, TSV, …).
    Text,
    /// A ZIP container: XLSX or ODS.
    Zip,
    /// An OLE2 container: legacy XLS.
    Ole,
    /// Anything else with binary content.
    Binary(&'static str),
}

/// How the text of a file is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8; `bom` is the byte-order mark's length (0 or 3).
    Utf8 { bom: usize },
    /// Anything that must be transcoded first (UTF-16, Windows-1252, …).
    Other(&'static Encoding),
}

impl TextEncoding {
    pub fn name(&self) -> String {
        match self {
            TextEncoding::Utf8 { bom: 0 } => "UTF-8".to_string(),
            TextEncoding::Utf8 { .. } => "UTF-8 with BOM".to_string(),
            TextEncoding::Other(e) => e.name().to_string(),
        }
    }
}

pub fn file_kind(head: &[u8]) -> FileKind {
    if head.starts_with(b"PK\x03\x04") {
        return FileKind::Zip;
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return FileKind::Ole;
    }
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"7z\xbc\xaf", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
        (b"\x7fELF", "a program"),
        (b"MZ", "a Windows program"),
        (b"SQLite format 3", "an SQLite database"),
        (b"PAR1", "a Parquet file"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return FileKind::Binary(what);
    }
    if utf16_order(head).is_none() && looks_binary(head) {
        return FileKind::Binary("binary data, not text");
    }
    FileKind::Text
}

/// True when the bytes are mostly NULs or control characters: not text of any encoding
/// Turnout reads (UTF-16 is checked before this). NUL padding at the end and a few damaged
/// bytes do not count: such files load, and their damaged rows are rejected one by one.
fn looks_binary(head: &[u8]) -> bool {
    let sample = &head[..head.len().min(64 * 1024)];
    let end = sample.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    let sample = &sample[..end];
    if sample.is_empty() {
        return true;
    }
    let odd = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    let lines = memchr::memchr_iter(b'\n', sample).count();
    odd * 10 > sample.len() || (odd * 50 > sample.len() && lines == 0)
}

/// UTF-16 without a BOM shows as NULs in every other byte of ASCII text.
fn utf16_order(head: &[u8]) -> Option<&'static Encoding> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(encoding_rs::UTF_16LE);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(encoding_rs::UTF_16BE);
    }
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 > pairs * 6 && even_nul * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 > pairs * 6 && odd_nul * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Detects the encoding from the first bytes: BOMs, UTF-16 patterns, valid UTF-8, or
/// chardetng's guess (Windows-1252 and friends). `complete` says `head` is the whole file.
pub fn detect_encoding(head: &[u8], complete: bool) -> TextEncoding {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return TextEncoding::Utf8 { bom: 3 };
    }
    if let Some(enc) = utf16_order(head) {
        return TextEncoding::Other(enc);
    }
    match std::str::from_utf8(head) {
        Ok(_) => TextEncoding::Utf8 { bom: 0 },
        // A multi-byte character cut at the end of the sample is still UTF-8.
        Err(e) if !complete && e.error_len().is_none() => TextEncoding::Utf8 { bom: 0 },
        // Mostly UTF-8 with a few stray bytes (Latin-1 pasted in, one damaged byte): UTF-8,
        // the stray bytes repaired and reported.
        Err(_) if mostly_utf8(head) => TextEncoding::Utf8 { bom: 0 },
        Err(_) => TextEncoding::Other(guess_legacy(head, complete)),
    }
}

/// Whether bytes that are not valid UTF-8 still hold more valid multi-byte UTF-8 characters
/// than stray bytes: a UTF-8 file with damage or pasted Latin-1, not a legacy file.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multi, mut stray) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multi += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        stray += chunk.invalid().len();
    }
    multi > 0 && multi >= stray
}

/// chardetng's guess for text that is not UTF-8.
pub fn guess_legacy(bytes: &[u8], complete: bool) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, complete);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    if enc == encoding_rs::UTF_8 {
        return encoding_rs::WINDOWS_1252;
    }
    // Organizers' tools write UTF-8, Windows-1252 / Latin-1 or Mac Roman; another single-byte
    // Windows code page (Central European, Turkish, Baltic, …) only when Windows-1252 cannot
    // read the bytes (its five undefined bytes appear) and the guess can.
    let western_family = [
        encoding_rs::WINDOWS_1250,
        encoding_rs::WINDOWS_1254,
        encoding_rs::WINDOWS_1257,
        encoding_rs::WINDOWS_1258,
        encoding_rs::ISO_8859_2,
        encoding_rs::ISO_8859_15,
    ];
    let undefined_in_1252 = |b: &u8| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D);
    if western_family.contains(&enc) && !bytes.iter().any(undefined_in_1252) {
        encoding_rs::WINDOWS_1252
    } else {
        enc
    }
}

/// Decodes a whole file into UTF-8, dropping any BOM.
pub fn decode(bytes: &[u8], enc: &'static Encoding) -> String {
    let (text, _, _) = enc.decode(bytes);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(file_kind(b"a,b\n1,2\n"), FileKind::Text);
        assert_eq!(file_kind(b"PK\x03\x04rest"), FileKind::Zip);
        assert!(matches!(file_kind(b"\x89PNG\r\n"), FileKind::Binary(_)));
        assert!(matches!(
            file_kind(&[0u8, 1, 2, 3, 0, 0, 7, 8, 0, 0]),
            FileKind::Binary(_)
        ));
        // A few NULs in a field, or NUL padding at the end, leave a text file text.
        let mut padded = b"Email,Registration Time\na\0b@x.org,2024-01-01 10:00\n".to_vec();
        padded.extend([0u8; 512]);
        assert_eq!(file_kind(&padded), FileKind::Text);
        assert!(matches!(file_kind(&[0u8; 600]), FileKind::Binary(_)));
    }

    #[test]
    fn encodings() {
        assert_eq!(detect_encoding(b"a,b", true), TextEncoding::Utf8 { bom: 0 });
        assert_eq!(
            detect_encoding(b"\xEF\xBB\xBFa,b", true),
            TextEncoding::Utf8 { bom: 3 }
        );
        let utf16: Vec<u8> = "Name\tE-Mail\r\nJörg\tj@x.de\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(
            detect_encoding(&utf16, true),
            TextEncoding::Other(encoding_rs::UTF_16LE)
        );
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode("Vorname;Straße;Jörg Müller\n");
        assert_eq!(
            detect_encoding(&cp1252, true),
            TextEncoding::Other(encoding_rs::WINDOWS_1252)
        );
    }
}
