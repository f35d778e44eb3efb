//! A small deterministic mutator for the stable replay test: xorshift64* random numbers,
//! and a few stacked edits of a seed (bit flips, interesting bytes, dictionary tokens
//! inserted, ranges deleted or duplicated, truncation, splicing with another seed).

/// Largest input the mutator makes.
const MAX_LEN: usize = 16 * 1024;

/// Bytes that often matter to a parser: delimiters, quotes, escapes, line ends, and bytes
/// that are not valid UTF-8 on their own.
const INTERESTING: &[u8] = b"{}[]()<>\"'`\\$|&;:=-#.,\n\r\t \0\xc3\xa9\xff\x80";

/// A deterministic mutator.
#[derive(Clone, Debug)]
pub struct Mutator {
    state: u64,
    tokens: Vec<Vec<u8>>,
}

impl Mutator {
    /// A mutator seeded with `seed`, inserting `tokens` (a dictionary) among its edits.
    pub fn new(seed: u64, tokens: Vec<Vec<u8>>) -> Mutator {
        Mutator {
            state: seed | 1,
            tokens,
        }
    }

    /// Next pseudo-random number (xorshift64*).
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A mutant of `seeds[index]`: one to four stacked edits; `seeds` also feeds splicing.
    ///
    /// ```
    /// use cct_fuzz_harness::Mutator;
    /// let seeds = vec![b"FROM alpine\n".to_vec(), b"RUN echo hi\n".to_vec()];
    /// let run = || {
    ///     let mut m = Mutator::new(7, vec![b"{{".to_vec()]);
    ///     (0..20).map(|i| m.mutate(&seeds, i % 2)).collect::<Vec<_>>()
    /// };
    /// assert_eq!(run(), run()); // deterministic
    /// assert!(run().iter().any(|m| !seeds.contains(m)));
    /// ```
    pub fn mutate(&mut self, seeds: &[Vec<u8>], index: usize) -> Vec<u8> {
        let mut data = seeds.get(index).cloned().unwrap_or_default();
        let edits = 1 + self.below(4);
        for _ in 0..edits {
            self.edit(&mut data, seeds);
        }
        data.truncate(MAX_LEN);
        data
    }

    fn edit(&mut self, data: &mut Vec<u8>, seeds: &[Vec<u8>]) {
        let len = data.len();
        match self.below(8) {
            // Flip one bit.
            0 if len > 0 => {
                let at = self.below(len);
                data[at] ^= 1 << self.below(8);
            }
            // Overwrite a byte with an interesting one.
            1 if len > 0 => {
                let at = self.below(len);
                data[at] = INTERESTING[self.below(INTERESTING.len())];
            }
            // Insert a dictionary token (or an interesting byte when there is none).
            2 | 3 => {
                let at = self.below(len + 1);
                let token = match self.tokens.len() {
                    0 => vec![INTERESTING[self.below(INTERESTING.len())]],
                    n => {
                        let k = self.below(n);
                        self.tokens[k].clone()
                    }
                };
                data.splice(at..at, token);
            }
            // Delete a range.
            4 if len > 0 => {
                let at = self.below(len);
                let n = 1 + self.below((len - at).min(16));
                data.drain(at..at + n);
            }
            // Truncate.
            5 => data.truncate(self.below(len + 1)),
            // Duplicate a range somewhere (repeats drive nesting and recursion).
            6 if len > 0 => {
                let from = self.below(len);
                let n = 1 + self.below(len - from);
                let chunk = data[from..from + n].to_vec();
                let times = 1 + self.below(4);
                let at = self.below(len + 1);
                for _ in 0..times {
                    data.splice(at..at, chunk.iter().copied());
                }
            }
            // Splice: a prefix of this input, a suffix of another seed.
            7 if !seeds.is_empty() => {
                let other = &seeds[self.below(seeds.len())];
                let cut = self.below(len + 1);
                let from = self.below(other.len() + 1);
                data.truncate(cut);
                data.extend_from_slice(&other[from..]);
            }
            _ => data.push(INTERESTING[self.below(INTERESTING.len())]),
        }
    }
}
