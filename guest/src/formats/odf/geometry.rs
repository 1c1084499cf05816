//! ODF custom shapes' enhanced geometry (`draw:enhanced-geometry`, ODF 1.3 §19.145ff):
//! the path language with its formulas (`draw:equation`), the shape's adjustments
//! (`draw:modifiers`), and the arcs, ellipses and quadrants LibreOffice writes for its own
//! shapes (callouts, stars, smileys, brackets...). Evaluated once per shape into a Bézier
//! path in view-box units.
//!
//! Everything is bounded for hostile files: the number of equations, the length and
//! nesting of each formula, the number of path tokens and of arc segments; a formula that
//! refers to itself, directly or through others, makes the path unknown rather than
//! looping.

use std::collections::HashMap;

use vello_cpu::kurbo::{BezPath, Point};

/// Most equations read per shape.
pub const MAX_EQUATIONS: usize = 1_000;
/// Longest formula evaluated, in bytes.
const MAX_FORMULA: usize = 2_000;
/// Deepest nesting of parentheses, calls and references while evaluating.
const MAX_DEPTH: usize = 64;
/// Most path tokens read.
const MAX_TOKENS: usize = 20_000;
/// Straight segments per arc (a full ellipse).
const ARC_SEGMENTS: f64 = 96.0;

/// A custom shape's geometry as the file gives it.
#[derive(Debug, Clone, Default)]
pub struct Enhanced {
    /// The view box the path is drawn in: x, y, width, height (0 0 0 0 for OOXML presets,
    /// which draw in the shape's own size in 1/100 mm).
    pub view: [f32; 4],
    pub path: String,
    pub modifiers: Vec<f64>,
    /// Equations by name (`f0`...), in file order.
    pub equations: Vec<(String, String)>,
}

/// What formulas are evaluated against.
struct Context<'a> {
    shape: &'a Enhanced,
    /// The view box (after stand-ins for an empty one) and the shape's size in 1/100 mm.
    view: [f64; 4],
    size: (f64, f64),
    names: HashMap<&'a str, usize>,
    /// Each equation's value once known; `Err(())` while it is being evaluated.
    values: Vec<Option<Result<f64, ()>>>,
}

impl Enhanced {
    /// The path in view-box units, and the view box it is drawn in, for a shape `size`
    /// points wide and high; `None` when the path cannot be evaluated (a command or
    /// function we do not know, a formula that refers to itself, a malformed number).
    pub fn evaluate(&self, size: (f32, f32)) -> Option<(BezPath, [f32; 4])> {
        let hundredths = |points: f32| f64::from(points.max(0.0)) * 2540.0 / 72.0;
        let size = (hundredths(size.0), hundredths(size.1));
        let [x, y, w, h] = self.view.map(f64::from);
        let view = if w > 0.0 && h > 0.0 { [x, y, w, h] } else { [0.0, 0.0, size.0.max(1.0), size.1.max(1.0)] };
        let names = self.equations.iter().enumerate().map(|(i, (name, _))| (name.as_str(), i)).collect();
        let mut ctx = Context { shape: self, view, size, names, values: vec![None; self.equations.len()] };
        // In file order first: equations mostly use earlier ones, so references stay shallow.
        for i in 0..self.equations.len() {
            let _ = ctx.equation(i, 0);
        }
        let path = ctx.path()?;
        (!path.elements().is_empty()).then(|| (path, view.map(|v| v as f32)))
    }
}

impl Context<'_> {
    /// The value of equation `index`.
    fn equation(&mut self, index: usize, depth: usize) -> Option<f64> {
        match self.values.get(index)? {
            Some(Ok(v)) => return Some(*v),
            Some(Err(())) => return None,
            None => {}
        }
        self.values[index] = Some(Err(()));
        let shape = self.shape;
        let formula = &shape.equations[index].1;
        if formula.len() > MAX_FORMULA {
            return None;
        }
        let mut parser = Parser { text: formula.as_bytes(), at: 0 };
        let value = parser.expression(self, depth + 1)?;
        parser.skip_space();
        if parser.at != parser.text.len() {
            return None;
        }
        let value = if value.is_finite() { value } else { 0.0 };
        self.values[index] = Some(Ok(value));
        Some(value)
    }

    /// A named value: a reference (`?f3`, `$0`), a constant or a property of the shape.
    fn named(&mut self, name: &str, depth: usize) -> Option<f64> {
        if let Some(equation) = name.strip_prefix('?') {
            let index = *self.names.get(equation)?;
            return self.equation(index, depth);
        }
        if let Some(n) = name.strip_prefix('$') {
            return Some(self.shape.modifiers.get(n.parse::<usize>().ok()?).copied().unwrap_or(0.0));
        }
        let [x, y, w, h] = self.view;
        Some(match name {
            "pi" => std::f64::consts::PI,
            "left" => x,
            "top" => y,
            "right" => x + w,
            "bottom" => y + h,
            "width" => w,
            "height" => h,
            "logwidth" => self.size.0,
            "logheight" => self.size.1,
            "xstretch" | "ystretch" => 0.0,
            "hasstroke" | "hasfill" => 1.0,
            _ => return None,
        })
    }

    /// A path parameter: a number or a named value.
    fn parameter(&mut self, token: &str) -> Option<f64> {
        match token.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            Ok(_) => None,
            Err(_) => self.named(token, 0),
        }
    }

    /// The whole path.
    fn path(&mut self) -> Option<BezPath> {
        let shape = self.shape;
        let mut tokens = Tokens::new(&shape.path);
        let mut out = Pen { path: BezPath::new(), at: None, start: None };
        let mut command = 'M';
        let mut first = true;
        let mut quadrant_x = true;
        let mut count = 0;
        while let Some(token) = tokens.next() {
            count += 1;
            if count > MAX_TOKENS {
                return None;
            }
            let letter = token.chars().next().filter(|c| c.is_ascii_alphabetic() && token.len() == 1);
            if let Some(c) = letter {
                command = c;
                first = true;
                quadrant_x = c == 'X';
                match c {
                    'Z' => out.close(),
                    'N' | 'F' | 'S' => {}
                    'M' | 'L' | 'C' | 'Q' | 'T' | 'U' | 'A' | 'B' | 'W' | 'V' | 'X' | 'Y' | 'G' => {}
                    _ => return None,
                }
                continue;
            }
            let per = match command {
                'M' | 'L' | 'X' | 'Y' => 2,
                'Q' | 'G' => 4,
                'C' | 'T' | 'U' => 6,
                'A' | 'B' | 'W' | 'V' => 8,
                _ => return None,
            };
            let mut values = Vec::with_capacity(per);
            values.push(self.parameter(token)?);
            for _ in 1..per {
                values.push(self.parameter(tokens.next()?)?);
            }
            let v = &values;
            let p = |i: usize| Point::new(v[i], v[i + 1]);
            match command {
                'M' if first => out.move_to(p(0)),
                'M' | 'L' => out.line_to(p(0)),
                'C' => out.curve(p(0), p(2), p(4)),
                'Q' => out.quad(p(0), p(2)),
                'T' | 'U' => {
                    let (start, sweep) = (v[4], normalised_sweep(v[5] - v[4]));
                    let (centre, radii) = (p(0), (v[2], v[3]));
                    out.arc(centre, radii, -start.to_radians(), -sweep.to_radians(), command == 'U');
                }
                'A' | 'B' | 'W' | 'V' => {
                    let (x0, y0, x1, y1) = (v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3]));
                    let centre = Point::new((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                    let radii = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
                    let angle = |q: Point| ((q.y - centre.y) / radii.1.max(1e-9)).atan2((q.x - centre.x) / radii.0.max(1e-9));
                    let (from, to) = (angle(p(4)), angle(p(6)));
                    // A and B run counterclockwise on the page, W and V clockwise.
                    let clockwise = matches!(command, 'W' | 'V');
                    let mut sweep = to - from;
                    if clockwise && sweep <= 0.0 {
                        sweep += std::f64::consts::TAU;
                    } else if !clockwise && sweep >= 0.0 {
                        sweep -= std::f64::consts::TAU;
                    }
                    out.arc(centre, radii, from, sweep, matches!(command, 'B' | 'V'));
                }
                'X' | 'Y' => {
                    out.quadrant(p(0), quadrant_x);
                    quadrant_x = !quadrant_x;
                }
                'G' => {
                    // OOXML's arcTo: radii, start and swing in degrees, from the pen.
                    let (rx, ry, start, swing) = (v[0], v[1], v[2].to_radians(), v[3].to_radians());
                    let pen = out.at.unwrap_or(Point::ZERO);
                    let centre = Point::new(pen.x - rx * start.cos(), pen.y - ry * start.sin());
                    out.arc(centre, (rx, ry), start, swing, false);
                }
                _ => return None,
            }
            first = false;
        }
        Some(out.path)
    }
}

/// An angle-ellipse's sweep in degrees: from 0 to 360 (a full turn when they are equal).
fn normalised_sweep(sweep: f64) -> f64 {
    let s = sweep.rem_euclid(360.0);
    if s.abs() < 1e-9 {
        360.0
    } else {
        s
    }
}

/// The path being drawn and where the pen is.
struct Pen {
    path: BezPath,
    at: Option<Point>,
    start: Option<Point>,
}

impl Pen {
    fn move_to(&mut self, p: Point) {
        self.path.move_to(p);
        self.at = Some(p);
        self.start = Some(p);
    }

    fn line_to(&mut self, p: Point) {
        if self.at.is_none() {
            return self.move_to(p);
        }
        self.path.line_to(p);
        self.at = Some(p);
    }

    fn curve(&mut self, a: Point, b: Point, c: Point) {
        if self.at.is_none() {
            self.move_to(a);
        }
        self.path.curve_to(a, b, c);
        self.at = Some(c);
    }

    fn quad(&mut self, a: Point, b: Point) {
        if self.at.is_none() {
            self.move_to(a);
        }
        self.path.quad_to(a, b);
        self.at = Some(b);
    }

    fn close(&mut self) {
        if self.at.is_some() {
            self.path.close_path();
            self.at = self.start;
        }
    }

    /// An elliptical arc about `centre` from parameter angle `from` (radians; y runs down
    /// the page) through `sweep`: a new subpath when `new`, else joined to the pen by a line.
    fn arc(&mut self, centre: Point, (rx, ry): (f64, f64), from: f64, sweep: f64, new: bool) {
        let point = |t: f64| Point::new(centre.x + rx * t.cos(), centre.y + ry * t.sin());
        let steps = ((sweep.abs() / std::f64::consts::TAU * ARC_SEGMENTS).ceil() as usize).clamp(1, ARC_SEGMENTS as usize);
        if new {
            self.move_to(point(from));
        } else {
            self.line_to(point(from));
        }
        for i in 1..=steps {
            self.line_to(point(from + sweep * i as f64 / steps as f64));
        }
    }

    /// A quarter ellipse from the pen to `to`, leaving the pen along x (`along_x`) or y.
    fn quadrant(&mut self, to: Point, along_x: bool) {
        let Some(from) = self.at else { return self.move_to(to) };
        // The control points of a quarter circle, stretched to the quadrant.
        const K: f64 = 0.552_284_75;
        let (a, b) = if along_x {
            (Point::new(from.x + (to.x - from.x) * K, from.y), Point::new(to.x, to.y - (to.y - from.y) * K))
        } else {
            (Point::new(from.x, from.y + (to.y - from.y) * K), Point::new(to.x - (to.x - from.x) * K, to.y))
        };
        self.curve(a, b, to);
    }
}

/// The path's tokens: commands, numbers and names, split at spaces and commas.
struct Tokens<'a> {
    parts: std::str::Split<'a, [char; 5]>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens { parts: text.split([' ', ',', '\n', '\r', '\t']) }
    }

    fn next(&mut self) -> Option<&'a str> {
        self.parts.by_ref().map(str::trim).find(|t| !t.is_empty())
    }
}

/// A formula's text and the reading position.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.at).is_some_and(|c| c.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// Sums and differences.
    fn expression(&mut self, ctx: &mut Context<'_>, depth: usize) -> Option<f64> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut value = self.term(ctx, depth)?;
        loop {
            if self.eat(b'+') {
                value += self.term(ctx, depth)?;
            } else if self.eat(b'-') {
                value -= self.term(ctx, depth)?;
            } else {
                return Some(value);
            }
        }
    }

    /// Products and quotients (a division by zero gives 0, as a shape must still draw).
    fn term(&mut self, ctx: &mut Context<'_>, depth: usize) -> Option<f64> {
        let mut value = self.unary(ctx, depth)?;
        loop {
            if self.eat(b'*') {
                value *= self.unary(ctx, depth)?;
            } else if self.eat(b'/') {
                let d = self.unary(ctx, depth)?;
                value = if d == 0.0 { 0.0 } else { value / d };
            } else {
                return Some(value);
            }
        }
    }

    fn unary(&mut self, ctx: &mut Context<'_>, depth: usize) -> Option<f64> {
        if self.eat(b'-') {
            return Some(-self.unary(ctx, depth + 1)?);
        }
        if self.eat(b'+') {
            return self.unary(ctx, depth + 1);
        }
        self.primary(ctx, depth)
    }

    fn primary(&mut self, ctx: &mut Context<'_>, depth: usize) -> Option<f64> {
        let c = self.peek()?;
        if c == b'(' {
            self.at += 1;
            let value = self.expression(ctx, depth + 1)?;
            return self.eat(b')').then_some(value);
        }
        let start = self.at;
        if c.is_ascii_digit() || c == b'.' {
            while self.text.get(self.at).is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c == b'e' || *c == b'E') {
                self.at += 1;
            }
            return std::str::from_utf8(&self.text[start..self.at]).ok()?.parse::<f64>().ok().filter(|v| v.is_finite());
        }
        if c == b'?' || c == b'$' {
            self.at += 1;
        }
        while self.text.get(self.at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            self.at += 1;
        }
        let name = std::str::from_utf8(&self.text[start..self.at]).ok()?;
        if name.is_empty() {
            return None;
        }
        if !self.eat(b'(') {
            return ctx.named(name, depth + 1);
        }
        let mut args = vec![self.expression(ctx, depth + 1)?];
        while self.eat(b',') {
            if args.len() >= 3 {
                return None;
            }
            args.push(self.expression(ctx, depth + 1)?);
        }
        if !self.eat(b')') {
            return None;
        }
        let a = |i: usize| args.get(i).copied();
        let value = match (name, args.len()) {
            ("abs", 1) => a(0)?.abs(),
            ("sqrt", 1) => a(0)?.max(0.0).sqrt(),
            ("sin", 1) => a(0)?.sin(),
            ("cos", 1) => a(0)?.cos(),
            ("tan", 1) => a(0)?.tan(),
            ("atan", 1) => a(0)?.atan(),
            ("atan2", 2) => a(0)?.atan2(a(1)?),
            ("min", 2) => a(0)?.min(a(1)?),
            ("max", 2) => a(0)?.max(a(1)?),
            ("if", 3) => {
                if a(0)? > 0.0 {
                    a(1)?
                } else {
                    a(2)?
                }
            }
            _ => return None,
        };
        Some(if value.is_finite() { value } else { 0.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(path: &str, modifiers: &[f64], equations: &[(&str, &str)]) -> Enhanced {
        Enhanced {
            view: [0.0, 0.0, 21600.0, 21600.0],
            path: path.into(),
            modifiers: modifiers.to_vec(),
            equations: equations.iter().map(|(n, f)| (n.to_string(), f.to_string())).collect(),
        }
    }

    fn points(path: &BezPath) -> Vec<(f64, f64)> {
        path.elements().iter().filter_map(|e| e.end_point()).map(|p| (p.x, p.y)).collect()
    }

    #[test]
    fn formulas_modifiers_and_functions_place_the_points() {
        // A callout's tip from its modifiers, through equations that use each other.
        let s = shape(
            "M 0 0 L 21600 0 ?f1 ?f2 Z N",
            &[3000.0, 25000.0],
            &[("f0", "$0 -10800"), ("f1", "?f0 +10800"), ("f2", "if(?f0, max($1, 100), 7) * (2 - 1)")],
        );
        let (path, view) = s.evaluate((100.0, 100.0)).unwrap();
        assert_eq!(view, [0.0, 0.0, 21600.0, 21600.0]);
        assert_eq!(points(&path), vec![(0.0, 0.0), (21600.0, 0.0), (3000.0, 7.0)]);
        // Names of the shape and constants.
        let s = shape("M 0 0 L ?f0 ?f1", &[], &[("f0", "right - left"), ("f1", "sqrt(abs(-16)) * cos(pi)")]);
        assert_eq!(points(&s.evaluate((10.0, 10.0)).unwrap().0), vec![(0.0, 0.0), (21600.0, -4.0)]);
    }

    #[test]
    fn an_empty_view_box_draws_in_the_shapes_size_in_hundredths_of_a_millimetre() {
        let s = Enhanced { view: [0.0; 4], path: "M 0 0 L logwidth logheight".into(), ..Default::default() };
        let (path, view) = s.evaluate((72.0, 36.0)).unwrap();
        assert_eq!(view, [0.0, 0.0, 2540.0, 1270.0]);
        assert_eq!(points(&path).last(), Some(&(2540.0, 1270.0)));
    }

    #[test]
    fn ellipses_arcs_and_quadrants_trace_their_curves() {
        // A full angle-ellipse about the centre stays on its circle.
        let (path, _) = shape("U 10800 10800 10800 10800 0 360 Z N", &[], &[]).evaluate((10.0, 10.0)).unwrap();
        let ps = points(&path);
        assert!(ps.len() > 40);
        assert!(ps.iter().all(|(x, y)| ((x - 10800.0).hypot(y - 10800.0) - 10800.0).abs() < 1.0));
        // A clockwise arc from the right of the box to its bottom passes below and right of the centre.
        let (path, _) = shape("V 0 0 21600 21600 21600 10800 10800 21600", &[], &[]).evaluate((10.0, 10.0)).unwrap();
        let ps = points(&path);
        assert!((ps[0].0 - 21600.0).abs() < 1.0 && (ps.last().unwrap().1 - 21600.0).abs() < 1.0);
        assert!(ps.iter().all(|(x, y)| *x >= 10799.0 && *y >= 10799.0), "{ps:?}");
        // Quadrants alternate: from the top to the right, then to the bottom.
        let (path, _) = shape("M 10800 0 X 21600 10800 10800 21600", &[], &[]).evaluate((10.0, 10.0)).unwrap();
        assert_eq!(points(&path), vec![(10800.0, 0.0), (21600.0, 10800.0), (10800.0, 21600.0)]);
    }

    #[test]
    fn hostile_formulas_end_without_a_path() {
        // Equations that refer to each other, or to themselves.
        assert!(shape("M 0 0 L ?f0 0", &[], &[("f0", "?f1"), ("f1", "?f0 + 1")]).evaluate((10.0, 10.0)).is_none());
        assert!(shape("M 0 0 L ?f0 0", &[], &[("f0", "?f0")]).evaluate((10.0, 10.0)).is_none());
        // Deep nesting, unknown functions, missing references and malformed formulas.
        let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(shape("M 0 0 L ?f0 0", &[], &[("f0", &deep)]).evaluate((10.0, 10.0)).is_none());
        assert!(shape("M 0 0 L ?f0 0", &[], &[("f0", "launch(1)")]).evaluate((10.0, 10.0)).is_none());
        assert!(shape("M 0 0 L ?f9 0", &[], &[]).evaluate((10.0, 10.0)).is_none());
        assert!(shape("M 0 0 L ?f0 0", &[], &[("f0", "1 +")]).evaluate((10.0, 10.0)).is_none());
        assert!(shape("M 0 0 K 1 2", &[], &[]).evaluate((10.0, 10.0)).is_none());
        // Division by zero and huge values still draw.
        assert!(shape("M 0 0 L ?f0 1e308", &[], &[("f0", "1/0")]).evaluate((10.0, 10.0)).is_some());
        // A long chain of equations, each using the one before, evaluates.
        let chain: Vec<(String, String)> =
            (0..MAX_EQUATIONS).map(|i| (format!("f{i}"), if i == 0 { "1".into() } else { format!("?f{} + 1", i - 1) })).collect();
        let s = Enhanced { view: [0.0, 0.0, 10.0, 10.0], path: format!("M 0 0 L ?f{} 0", MAX_EQUATIONS - 1), equations: chain, ..Default::default() };
        assert_eq!(points(&s.evaluate((10.0, 10.0)).unwrap().0).last(), Some(&(MAX_EQUATIONS as f64, 0.0)));
        // The same chain the other way round is too deep a chain of references: refused
        // rather than overflowing the stack.
        let chain: Vec<(String, String)> =
            (0..MAX_EQUATIONS).map(|i| (format!("f{i}"), if i + 1 == MAX_EQUATIONS { "1".into() } else { format!("?f{} + 1", i + 1) })).collect();
        let s = Enhanced { view: [0.0, 0.0, 10.0, 10.0], path: "M 0 0 L ?f0 0".into(), equations: chain, ..Default::default() };
        assert!(s.evaluate((10.0, 10.0)).is_none());
    }
}
