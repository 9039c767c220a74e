//! Column storage: strings in one buffer, categories as codes into a dictionary.

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

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

    pub fn append(&mut self, other: &StrColumn) {
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

    /// Empties the column, keeping its buffers for reuse.
    pub fn clear(&mut self) {
        self.text.clear();
        self.offsets.truncate(1);
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

/// Text with few distinct values (ticket types, countries, ZIP codes) as `u32` codes into a
/// dictionary. The dictionary is one string buffer plus a hash index, so interning a new
/// value allocates nothing per value. Code order is first appearance, so the same file always
/// gives the same codes.
#[derive(Clone, Default)]
pub struct Categorical {
    codes: Vec<u32>,
    values: StrColumn,
    index: HashTable<u32>,
}

impl std::fmt::Debug for Categorical {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Categorical")
            .field("rows", &self.codes.len())
            .field("distinct", &self.values.len())
            .finish()
    }
}

fn hash_str(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.finish()
}

impl Categorical {
    pub fn with_capacity(rows: usize) -> Categorical {
        Categorical {
            codes: Vec::with_capacity(rows),
            ..Categorical::default()
        }
    }

    pub fn intern(&mut self, value: &str) -> u32 {
        let hash = hash_str(value);
        let values = &self.values;
        if let Some(&code) = self.index.find(hash, |&c| values.get(c as usize) == value) {
            return code;
        }
        let code = self.values.len() as u32;
        self.values.push(value);
        let values = &self.values;
        self.index
            .insert_unique(hash, code, |&c| hash_str(values.get(c as usize)));
        code
    }

    pub fn push(&mut self, value: &str) {
        // Runs of one value (a ticket type, a country) skip the hash lookup.
        if let Some(&last) = self.codes.last()
            && self.values.get(last as usize) == value
        {
            self.codes.push(last);
            return;
        }
        let code = self.intern(value);
        self.codes.push(code);
    }

    /// Empties the column and its dictionary, keeping buffers for reuse.
    pub fn clear(&mut self) {
        self.codes.clear();
        self.values.clear();
        self.index.clear();
    }

    pub fn get(&self, row: usize) -> &str {
        self.values.get(self.codes[row] as usize)
    }

    pub fn code(&self, row: usize) -> u32 {
        self.codes[row]
    }

    pub fn codes(&self) -> &[u32] {
        &self.codes
    }

    /// The distinct values; `codes` index into them.
    pub fn values(&self) -> &StrColumn {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Appends `other`'s rows, translating its codes into this dictionary.
    pub fn append(&mut self, other: &Categorical) {
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
        self.values.shrink_to_fit();
    }

    pub fn heap_bytes(&self) -> usize {
        self.codes.capacity() * 4 + self.values.heap_bytes() + self.index.capacity() * 5
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

    pub fn clear(&mut self) {
        match self {
            TextColumn::Str(c) => c.clear(),
            TextColumn::Cat(c) => c.clear(),
        }
    }

    pub fn append(&mut self, other: &TextColumn) {
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
        a.append(&b);
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
        a.append(&b);
        let got: Vec<_> = (0..a.len()).map(|i| a.get(i)).collect();
        assert_eq!(got, ["VIP", "GA", "GA", "Student"]);
        assert_eq!(a.values().len(), 3);
    }
}
