//! Zip containers (XLSX, ODS), checked before anything is parsed: every part is unpacked once,
//! counting the bytes it really expands to (the sizes a zip declares can lie), and the archive
//! is refused past [`Limits::unpacked`](super::Limits::unpacked) or when a part is encrypted or
//! declares a DOCTYPE.

use std::io::{Cursor, Read};

use super::{Limits, SheetError, mb};

/// What the archive holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
    /// Not a workbook Turnout reads: the sentence says what it is.
    Other(String),
}

/// A zip archive whose parts were all unpacked once within the limits.
pub struct Archive {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    names: Vec<String>,
    /// Unpacked size of each part, as counted.
    sizes: Vec<u64>,
}

fn damaged(e: zip::result::ZipError) -> SheetError {
    SheetError(format!(
        "it starts like a zip archive (an XLSX or ODS workbook) but the archive is damaged or \
         cut off: {e}"
    ))
}

impl Archive {
    pub fn open(bytes: Vec<u8>, limits: Limits) -> Result<Archive, SheetError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
        let mut names = Vec::with_capacity(zip.len().min(4_096));
        let mut sizes = Vec::with_capacity(zip.len().min(4_096));
        let mut total = 0u64;
        let mut buf = vec![0u8; 64 * 1024];
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).map_err(damaged)?;
            let name = String::from_utf8_lossy(part.name_raw()).into_owned();
            if part.encrypted() {
                return Err(SheetError(format!(
                    "part '{name}' is encrypted: the workbook is password-protected; save an \
                     unprotected copy"
                )));
            }
            let mut size = 0u64;
            let mut first = true;
            loop {
                let n = match part.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        return Err(SheetError(format!(
                            "part '{name}' of the archive cannot be unpacked: {e}"
                        )));
                    }
                };
                if first && name.ends_with(".xml") && declares_doctype(&buf[..n]) {
                    return Err(SheetError(format!(
                        "part '{name}' declares a DOCTYPE, which spreadsheet programs never write \
                         (it can hide XML entity tricks); refusing to read it"
                    )));
                }
                first = false;
                size += n as u64;
                total += n as u64;
                if total > limits.unpacked {
                    return Err(SheetError(format!(
                        "it unpacks to more than {} from a {} file (reached in part '{name}'); \
                         Turnout stops there, at 50 times the file, because real workbooks \
                         compress far less. If this is a real export, save it as CSV",
                        mb(limits.unpacked),
                        mb(limits.file_bytes),
                    )));
                }
            }
            drop(part);
            names.push(name);
            sizes.push(size);
        }
        Ok(Archive { zip, names, sizes })
    }

    pub fn kind(&mut self) -> Kind {
        if self.contains("xl/workbook.xml") {
            return Kind::Xlsx;
        }
        if self.contains("content.xml") {
            return match self.mimetype() {
                Some(m) if m.contains("spreadsheet") => Kind::Ods,
                Some(m) if m.contains("text") => Kind::Other(
                    "it is an OpenDocument text document, not a spreadsheet".to_string(),
                ),
                Some(m) if m.contains("presentation") => {
                    Kind::Other("it is an OpenDocument presentation, not a spreadsheet".to_string())
                }
                _ => Kind::Ods,
            };
        }
        let has = |n: &str| self.names.iter().any(|x| x == n);
        let what = if has("xl/workbook.bin") {
            "it is an Excel binary workbook (.xlsb), which Turnout does not read; save it as \
             .xlsx or CSV"
                .to_string()
        } else if has("word/document.xml") {
            "it is a Word document, not a spreadsheet".to_string()
        } else if has("ppt/presentation.xml") {
            "it is a PowerPoint presentation, not a spreadsheet".to_string()
        } else {
            let some: Vec<&str> = self.names.iter().take(4).map(String::as_str).collect();
            format!(
                "it is a zip archive but not a spreadsheet (it holds {}{})",
                if some.is_empty() {
                    "nothing".to_string()
                } else {
                    some.join(", ")
                },
                if self.names.len() > 4 { ", …" } else { "" }
            )
        };
        Kind::Other(what)
    }

    fn mimetype(&mut self) -> Option<String> {
        let i = self.names.iter().position(|n| n == "mimetype")?;
        if self.sizes[i] > 256 {
            return None;
        }
        let mut s = String::new();
        self.zip.by_index(i).ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    }

    /// Whether a part is in the archive.
    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// A streaming reader of one part. Its size was checked when the archive was opened.
    pub fn part(&mut self, name: &str) -> Result<impl Read + '_, SheetError> {
        let i = self
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| SheetError(format!("the archive has no part '{name}'")))?;
        self.zip.by_index(i).map_err(damaged)
    }

    /// A small part as text (workbook, relationships, styles).
    pub fn part_text(&mut self, name: &str) -> Result<String, SheetError> {
        let mut s = String::new();
        self.part(name)?
            .read_to_string(&mut s)
            .map_err(|e| SheetError(format!("part '{name}' cannot be read as text: {e}")))?;
        Ok(s)
    }
}

fn declares_doctype(head: &[u8]) -> bool {
    memchr::memmem::find(&head[..head.len().min(4_096)], b"<!DOCTYPE").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_bomb_is_refused_with_the_figures() {
        let big = vec![b'a'; 3 << 20];
        let bytes = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/x.xml", &big)]);
        let limits = Limits {
            unpacked: 1 << 20,
            ..Limits::for_file(bytes.len() as u64)
        };
        let e = Archive::open(bytes, limits).err().unwrap();
        assert!(e.0.contains("unpacks to more than 1 MB"), "{e}");
    }

    #[test]
    fn what_the_archive_is() {
        let docx = zip_of(&[("word/document.xml", b"<w/>")]);
        let mut a = Archive::open(docx.clone(), Limits::for_file(docx.len() as u64)).unwrap();
        assert_eq!(
            a.kind(),
            Kind::Other("it is a Word document, not a spreadsheet".into())
        );
        let doctype = zip_of(&[(
            "xl/workbook.xml",
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><workbook/>",
        )]);
        let e = Archive::open(doctype.clone(), Limits::for_file(doctype.len() as u64))
            .err()
            .unwrap();
        assert!(e.0.contains("DOCTYPE"), "{e}");
        let cut = &zip_of(&[("xl/workbook.xml", b"<workbook/>")])[..30];
        let e = Archive::open(cut.to_vec(), Limits::for_file(30))
            .err()
            .unwrap();
        assert!(e.0.contains("damaged or cut off"), "{e}");
    }
}
