//! Column storage: strings in one buffer, categories as codes into a dictionary.

use rustc_hash::FxHashMap;

/// Strings of one column in one buffer (Arrow-style): row `i` is
/// `text[offsets[i]..offsets[i + 1]]`. One allocation per column instead of one per cell.
#[derive(Clone, Debug)]
pub struct StrColumn {
    text: String,
    offsets: Vec<u32>,
}

impl Default for StrColumn {
    fn default() -> Self {
        StrColumn {
            text: String::new(),
            offsets: vec![0],
        }
    }
}

impl StrColumn {
    pub fn with_capacity(rows: usize, bytes: usize) -> StrColumn {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        StrColumn {
            text: String::with_capacity(bytes),
            offsets,
        }
    }

    /// Appends a value. A column is limited to 4 GiB of text; past that values are stored
    /// empty (and `push` returns `false`) rather than wrapping.
    pub fn push(&mut self, value: &str) -> bool {
        let fits = self.text.len() + value.len() <= u32::MAX as usize;
        if fits {
            self.text.push_str(value);
        }
        self.offsets.push(self.text.len() as u32);
        fits
    }

    pub fn get(&self, row: usize) -> &str {
        let (a, b) = (self.offsets[row] as usize, self.offsets[row + 1] as usize);
        &self.text[a..b]
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.offsets
            .windows(2)
            .map(|w| &self.text[w[0] as usize..w[1] as usize])
    }

    pub fn append(&mut self, other: StrColumn) {
        if self.text.len() + other.text.len() > u32::MAX as usize {
            for v in other.iter() {
                self.push(v);
            }
            return;
        }
        let base = self.text.len() as u32;
        self.text.push_str(&other.text);
        self.offsets
            .extend(other.offsets[1..].iter().map(|o| o + base));
    }

    pub fn retain(&mut self, keep: &[bool]) {
        let mut out = StrColumn::with_capacity(self.len(), self.text.len());
        for (v, _) in self.iter().zip(keep).filter(|(_, k)| **k) {
            out.push(v);
        }
        *self = out;
    }

    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.offsets.shrink_to_fit();
    }

    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.offsets.capacity() * 4
    }
}

/// Text with few distinct values (ticket types, countries, first names) as `u32` codes into
/// a dictionary. Code order is first appearance, so the same file always gives the same codes.
#[derive(Clone, Debug, Default)]
pub struct Categorical {
    codes: Vec<u32>,
    values: Vec<Box<str>>,
    index: FxHashMap<Box<str>, u32>,
}

impl Categorical {
    pub fn with_capacity(rows: usize) -> Categorical {
        Categorical {
            codes: Vec::with_capacity(rows),
            ..Categorical::default()
        }
    }

    pub fn intern(&mut self, value: &str) -> u32 {
        if let Some(&code) = self.index.get(value) {
            return code;
        }
        let code = self.values.len() as u32;
        let boxed: Box<str> = value.into();
        self.values.push(boxed.clone());
        self.index.insert(boxed, code);
        code
    }

    pub fn push(&mut self, value: &str) {
        let code = self.intern(value);
        self.codes.push(code);
    }

    pub fn get(&self, row: usize) -> &str {
        &self.values[self.codes[row] as usize]
    }

    pub fn code(&self, row: usize) -> u32 {
        self.codes[row]
    }

    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// Distinct values; `codes` index into it.
    pub fn values(&self) -> &[Box<str>] {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Appends `other`'s rows, translating its codes into this dictionary.
    pub fn append(&mut self, other: Categorical) {
        let remap: Vec<u32> = other.values.iter().map(|v| self.intern(v)).collect();
        self.codes
            .extend(other.codes.iter().map(|&c| remap[c as usize]));
    }

    pub fn retain(&mut self, keep: &[bool]) {
        let mut i = 0;
        self.codes.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }

    pub fn shrink_to_fit(&mut self) {
        self.codes.shrink_to_fit();
    }

    pub fn heap_bytes(&self) -> usize {
        self.codes.capacity() * 4
            + self.values.iter().map(|v| v.len() + 16).sum::<usize>() * 2
            + self.index.capacity() * 24
    }
}

/// A text column stored the way its role suits: unique-ish values as [`StrColumn`],
/// repetitive ones as [`Categorical`].
#[derive(Clone, Debug)]
pub enum TextColumn {
    Str(StrColumn),
    Cat(Categorical),
}

impl TextColumn {
    pub fn get(&self, row: usize) -> &str {
        match self {
            TextColumn::Str(c) => c.get(row),
            TextColumn::Cat(c) => c.get(row),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            TextColumn::Str(c) => c.len(),
            TextColumn::Cat(c) => c.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, value: &str) {
        match self {
            TextColumn::Str(c) => {
                c.push(value);
            }
            TextColumn::Cat(c) => c.push(value),
        }
    }

    pub fn append(&mut self, other: TextColumn) {
        match (self, other) {
            (TextColumn::Str(a), TextColumn::Str(b)) => a.append(b),
            (TextColumn::Cat(a), TextColumn::Cat(b)) => a.append(b),
            (a, b) => {
                for i in 0..b.len() {
                    a.push(b.get(i));
                }
            }
        }
    }

    pub fn retain(&mut self, keep: &[bool]) {
        match self {
            TextColumn::Str(c) => c.retain(keep),
            TextColumn::Cat(c) => c.retain(keep),
        }
    }

    pub fn shrink_to_fit(&mut self) {
        match self {
            TextColumn::Str(c) => c.shrink_to_fit(),
            TextColumn::Cat(c) => c.shrink_to_fit(),
        }
    }

    pub fn heap_bytes(&self) -> usize {
        match self {
            TextColumn::Str(c) => c.heap_bytes(),
            TextColumn::Cat(c) => c.heap_bytes(),
        }
    }

    /// The categorical view, when this column is one.
    pub fn as_categorical(&self) -> Option<&Categorical> {
        match self {
            TextColumn::Cat(c) => Some(c),
            TextColumn::Str(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_column_append_and_retain() {
        let mut a = StrColumn::default();
        a.push("x");
        a.push("");
        let mut b = StrColumn::default();
        b.push("yz");
        a.append(b);
        assert_eq!(a.iter().collect::<Vec<_>>(), ["x", "", "yz"]);
        a.retain(&[true, false, true]);
        assert_eq!(a.iter().collect::<Vec<_>>(), ["x", "yz"]);
    }

    #[test]
    fn categorical_merge_keeps_values() {
        let mut a = Categorical::default();
        a.push("VIP");
        a.push("GA");
        let mut b = Categorical::default();
        b.push("GA");
        b.push("Student");
        a.append(b);
        let got: Vec<_> = (0..a.len()).map(|i| a.get(i)).collect();
        assert_eq!(got, ["VIP", "GA", "GA", "Student"]);
        assert_eq!(a.values().len(), 3);
    }
}
