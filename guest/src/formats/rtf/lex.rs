//! RTF tokens: groups, control words with their parameter, control symbols, hex bytes and
//! text, read in one pass without recursion. `\binN` hands back the next N bytes (as many
//! as there are) as one token, so binary data is never read as markup.

/// One token of an RTF stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// `{`
    Open,
    /// `}`
    Close,
    /// `\word` or `\word-12`: letters (at most [`MAX_WORD`] kept) and a parameter clamped to
    /// the `i32` range.
    Word(&'a [u8], Option<i32>),
    /// `\` and a character that is not a letter (`\~`, `\*`, `\{`...).
    Symbol(u8),
    /// `\'hh`: one byte in the current code page.
    Hex(u8),
    /// `\binN`: raw bytes.
    Binary(&'a [u8]),
    /// Plain bytes up to the next markup (line breaks dropped, as RTF wants).
    Text(&'a [u8]),
}

/// Letters of a control word kept (RTF allows 32); longer words are read whole but cut.
pub const MAX_WORD: usize = 32;

/// Reads tokens from an RTF byte stream.
pub struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Lexer { bytes, at: 0 }
    }

    /// The next token, `None` at the end.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let b = *self.bytes.get(self.at)?;
            match b {
                b'{' => {
                    self.at += 1;
                    return Some(Token::Open);
                }
                b'}' => {
                    self.at += 1;
                    return Some(Token::Close);
                }
                b'\\' => return Some(self.control()),
                b'\r' | b'\n' | 0 => self.at += 1,
                _ => {
                    let start = self.at;
                    while self.at < self.bytes.len() && !matches!(self.bytes[self.at], b'{' | b'}' | b'\\' | b'\r' | b'\n' | 0) {
                        self.at += 1;
                    }
                    return Some(Token::Text(&self.bytes[start..self.at]));
                }
            }
        }
    }

    /// A control word or symbol; `self.at` is on the backslash.
    fn control(&mut self) -> Token<'a> {
        self.at += 1;
        let Some(&c) = self.bytes.get(self.at) else { return Token::Symbol(b'\\') };
        if !c.is_ascii_alphabetic() {
            self.at += 1;
            if c == b'\'' {
                let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
                if let (Some(h), Some(l)) = (hex(self.bytes.get(self.at)), hex(self.bytes.get(self.at + 1))) {
                    self.at += 2;
                    return Token::Hex((h * 16 + l) as u8);
                }
                return Token::Text(b"");
            }
            // A backslash before a line break is a paragraph mark.
            if c == b'\r' || c == b'\n' {
                return Token::Word(b"par", None);
            }
            return Token::Symbol(c);
        }
        let start = self.at;
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_alphabetic() {
            self.at += 1;
        }
        let word = &self.bytes[start..self.at.min(start + MAX_WORD)];
        let mut parameter = None;
        let negative = self.bytes.get(self.at) == Some(&b'-') && self.bytes.get(self.at + 1).is_some_and(u8::is_ascii_digit);
        if negative {
            self.at += 1;
        }
        if self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            let mut value: i64 = 0;
            while let Some(d) = self.bytes.get(self.at).filter(|d| d.is_ascii_digit()) {
                value = (value * 10 + i64::from(d - b'0')).min(i64::from(i32::MAX) + 1);
                self.at += 1;
            }
            let value = if negative { -value } else { value };
            parameter = Some(value.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
        }
        // One space ends a control word and belongs to it.
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        if word == b"bin" {
            let length = usize::try_from(parameter.unwrap_or(0).max(0)).unwrap_or(0).min(self.bytes.len() - self.at);
            let data = &self.bytes[self.at..self.at + length];
            self.at += length;
            return Token::Binary(data);
        }
        Token::Word(word, parameter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> Vec<Token<'_>> {
        let mut lexer = Lexer::new(bytes);
        std::iter::from_fn(|| lexer.next()).collect()
    }

    #[test]
    fn words_symbols_hex_and_text() {
        use Token::*;
        assert_eq!(
            all(b"{\\rtf1\\ansi\\fs-24 Hi\\'82\\'a0\\~x\r\n\\par}"),
            vec![
                Open,
                Word(b"rtf", Some(1)),
                Word(b"ansi", None),
                Word(b"fs", Some(-24)),
                Text(b"Hi"),
                Hex(0x82),
                Hex(0xA0),
                Symbol(b'~'),
                Text(b"x"),
                Word(b"par", None),
                Close
            ]
        );
    }

    #[test]
    fn binary_data_is_not_markup_and_cannot_overrun() {
        use Token::*;
        assert_eq!(all(b"\\bin3 {}\\x"), vec![Binary(b"{}\\"), Text(b"x")]);
        assert_eq!(all(b"\\bin99999999999 ab"), vec![Binary(b"ab")]);
        assert_eq!(all(b"\\u99999999999999999999"), vec![Word(b"u", Some(i32::MAX))]);
        assert_eq!(all(b"\\'4"), vec![Text(b""), Text(b"4")]);
    }
}
