//! Walking an XML part with a stack of element contexts, instead of a flag per element.
//!
//! A part parser names the elements it cares about as contexts (`Ctx`, an enum of its
//! own) and implements [`Handler`]: `start` looks at an element and the open contexts
//! around it (the [`Stack`]) and says which context the element opens; `end` closes it;
//! `text` takes character data. [`walk`] drives quick-xml and keeps the stack:
//!
//! - An empty element (`<w:b/>`) is a `start` immediately followed by its `end`.
//! - A context the handler calls [`Handler::SKIP`] hides its whole subtree (deleted text,
//!   fallbacks, tracked-change history): no handler call until it closes.
//! - Elements nested deeper than [`MAX_DEPTH`] are skipped like that too, so hostile
//!   nesting costs neither stack nor time in handlers.
//! - End tags are matched by position, not by name (the reader does not check names):
//!   damaged markup closes whatever is open.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::{reader, reference_text};

/// Deepest element nesting handed to a handler; deeper subtrees are skipped (Word and
/// LibreOffice refuse documents nested far less deeply).
pub const MAX_DEPTH: usize = 1_024;

/// The contexts of the open elements, outermost first.
pub struct Stack<C> {
    open: Vec<C>,
    /// Open elements inside a skipped subtree (or beyond [`MAX_DEPTH`]).
    skipped: usize,
}

impl<C: Copy + PartialEq> Stack<C> {
    fn new() -> Self {
        Stack { open: Vec::new(), skipped: 0 }
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The innermost open context.
    pub fn top(&self) -> Option<C> {
        self.open.last().copied()
    }

    /// Whether some open element has context `c`.
    pub fn within(&self, c: C) -> bool {
        self.open.contains(&c)
    }

    /// The innermost open context that `wanted` accepts.
    pub fn nearest(&self, wanted: impl Fn(C) -> bool) -> Option<C> {
        self.open.iter().rev().copied().find(|c| wanted(*c))
    }
}

/// A part parser, driven by [`walk`].
pub trait Handler {
    /// The contexts this parser tells elements apart by.
    type Ctx: Copy + PartialEq;
    /// The context whose whole subtree is hidden.
    const SKIP: Self::Ctx;

    /// An element opens (`empty` when it is `<x/>`, whose [`Handler::end`] follows at once);
    /// returns its context.
    fn start(&mut self, e: &BytesStart<'_>, empty: bool, stack: &Stack<Self::Ctx>) -> Self::Ctx;

    /// The element of context `ctx` closes; `stack` holds the contexts around it.
    fn end(&mut self, ctx: Self::Ctx, stack: &Stack<Self::Ctx>);

    /// Character data (entity and character references resolved) inside the open elements.
    fn text(&mut self, text: &str, stack: &Stack<Self::Ctx>);

    /// Whether the handler wants nothing more (a limit was reached).
    fn done(&self) -> bool {
        false
    }
}

/// Reads `xml` to its end (or to the first error), calling `handler` on the way.
pub fn walk<H: Handler>(xml: &[u8], handler: &mut H) {
    let mut reader = reader(xml);
    let mut stack = Stack::<H::Ctx>::new();
    while !handler.done() {
        let event = reader.read_event();
        match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                if stack.skipped > 0 || stack.open.len() >= MAX_DEPTH {
                    stack.skipped += usize::from(!empty);
                    continue;
                }
                let ctx = handler.start(e, empty, &stack);
                if empty {
                    handler.end(ctx, &stack);
                } else if ctx == H::SKIP {
                    stack.skipped = 1;
                } else {
                    stack.open.push(ctx);
                }
            }
            Ok(Event::End(_)) => {
                if stack.skipped > 0 {
                    stack.skipped -= 1;
                } else if let Some(ctx) = stack.open.pop() {
                    handler.end(ctx, &stack);
                }
            }
            Ok(Event::Text(t)) if stack.skipped == 0 => handler.text(&Cow::Borrowed(&**t), &stack),
            Ok(Event::GeneralRef(r)) if stack.skipped == 0 => handler.text(&reference_text(r), &stack),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, PartialEq, Debug)]
    enum Ctx {
        Other,
        Skip,
        Keep,
    }

    /// Collects text inside `keep` elements and the depth of every start.
    #[derive(Default)]
    struct Collect {
        text: String,
        starts: usize,
        ends: usize,
    }

    impl Handler for Collect {
        type Ctx = Ctx;
        const SKIP: Ctx = Ctx::Skip;
        fn start(&mut self, e: &BytesStart<'_>, _: bool, _: &Stack<Ctx>) -> Ctx {
            self.starts += 1;
            match e.local_name().as_ref().as_bytes() {
                b"keep" => Ctx::Keep,
                b"del" => Ctx::Skip,
                _ => Ctx::Other,
            }
        }
        fn end(&mut self, _: Ctx, _: &Stack<Ctx>) {
            self.ends += 1;
        }
        fn text(&mut self, text: &str, stack: &Stack<Ctx>) {
            if stack.within(Ctx::Keep) {
                self.text.push_str(text);
            }
        }
    }

    #[test]
    fn contexts_nest_and_skipped_subtrees_stay_silent() {
        let mut c = Collect::default();
        walk(b"<r><keep>a<i>b</i><del>x<keep>y</keep></del>&amp;<e/></keep>z</r>", &mut c);
        assert_eq!(c.text, "ab&");
        // r, keep, i, del (its subtree unseen), e.
        assert_eq!((c.starts, c.ends), (5, 4));
    }

    #[test]
    fn hostile_nesting_is_cut_at_the_depth_limit() {
        let depth = 100_000;
        let xml = format!("{}<keep>deep</keep>{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let mut c = Collect::default();
        walk(xml.as_bytes(), &mut c);
        assert_eq!(c.starts, MAX_DEPTH);
        assert_eq!(c.text, "");
    }
}
