//! Preset geometries (DrawingML `a:prstGeom`, and the OfficeArt and ODF shapes mapped onto
//! their names) as outlines the paint layer draws: rectangles, rounded rectangles,
//! ellipses, and polygons in the unit square of the shape's box, at the presets' default
//! adjustments. Curved outlines (hearts, moons, cans, stadiums) are sampled into polygons;
//! the inner lines and bevels some presets add are left out. A preset not known here is
//! drawn as its box, so that a shape is never silently missing.

use std::f32::consts::{PI, TAU};

use crate::layout::paint::ShapeKind;

/// How many points a curved outline is sampled into.
const STEPS: usize = 48;

/// The outline of a preset geometry in a square box; `None` for the presets that have no
/// outline (text without a shape).
pub(crate) fn preset(name: &str) -> Option<ShapeKind> {
    preset_in(name, (1.0, 1.0))
}

/// The outline of a preset geometry in a box `w` by `h`: arrowheads, corners and insets
/// that the preset measures on the box's shorter side keep their proportion to it.
pub(crate) fn preset_in(name: &str, (w, h): (f32, f32)) -> Option<ShapeKind> {
    let polygon = ShapeKind::Polygon;
    let short = w.min(h).max(f32::MIN_POSITIVE);
    // A share of the shorter side, across and down the box, at most `cap` of it.
    let across = |share: f32, cap: f32| (share * short / w.max(short)).min(cap);
    let down = |share: f32, cap: f32| (share * short / h.max(short)).min(cap);
    Some(match name {
        "textNoShape" => return None,
        "rect" | "flowChartProcess" | "snip1Rect" | "frame" | "flowChartPredefinedProcess" | "flowChartInternalStorage" | "bevel" | "plaque" => ShapeKind::Rect,
        "roundRect" | "round1Rect" | "round2SameRect" | "round2DiagRect" | "flowChartAlternateProcess" | "snipRoundRect" | "snip2SameRect" => {
            ShapeKind::RoundRect
        }
        "ellipse" | "flowChartConnector" | "donut" | "flowChartSummingJunction" | "flowChartOr" | "smileyFace" | "noSmoking" | "cloud" | "cloudCallout" => {
            ShapeKind::Ellipse
        }
        "triangle" | "flowChartExtract" => polygon(vec![(0.5, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "flowChartMerge" => polygon(vec![(0.0, 0.0), (1.0, 0.0), (0.5, 1.0)]),
        "rtTriangle" => polygon(vec![(0.0, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "diamond" | "flowChartDecision" => polygon(vec![(0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.0, 0.5)]),
        "flowChartSort" | "flowChartCollate" => polygon(vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)]),
        "rightArrow" => {
            let x = 1.0 - across(0.5, 1.0);
            polygon(vec![(0.0, 0.25), (x, 0.25), (x, 0.0), (1.0, 0.5), (x, 1.0), (x, 0.75), (0.0, 0.75)])
        }
        "leftArrow" => {
            let x = across(0.5, 1.0);
            polygon(vec![(1.0, 0.25), (x, 0.25), (x, 0.0), (0.0, 0.5), (x, 1.0), (x, 0.75), (1.0, 0.75)])
        }
        "upArrow" => {
            let y = down(0.5, 1.0);
            polygon(vec![(0.25, 1.0), (0.25, y), (0.0, y), (0.5, 0.0), (1.0, y), (0.75, y), (0.75, 1.0)])
        }
        "downArrow" => {
            let y = 1.0 - down(0.5, 1.0);
            polygon(vec![(0.25, 0.0), (0.25, y), (0.0, y), (0.5, 1.0), (1.0, y), (0.75, y), (0.75, 0.0)])
        }
        "notchedRightArrow" => {
            let x = 1.0 - across(0.5, 1.0);
            polygon(vec![(0.0, 0.25), (x, 0.25), (x, 0.0), (1.0, 0.5), (x, 1.0), (x, 0.75), (0.0, 0.75), (across(0.25, 0.5), 0.5)])
        }
        "leftRightArrow" => {
            let x = across(0.5, 0.5);
            polygon(vec![(0.0, 0.5), (x, 0.0), (x, 0.25), (1.0 - x, 0.25), (1.0 - x, 0.0), (1.0, 0.5), (1.0 - x, 1.0), (1.0 - x, 0.75), (x, 0.75), (x, 1.0)])
        }
        "upDownArrow" => {
            let y = down(0.5, 0.5);
            polygon(vec![(0.5, 0.0), (1.0, y), (0.75, y), (0.75, 1.0 - y), (1.0, 1.0 - y), (0.5, 1.0), (0.0, 1.0 - y), (0.25, 1.0 - y), (0.25, y), (0.0, y)])
        }
        "quadArrow" => polygon(vec![
            (0.5, 0.0),
            (0.65, 0.15),
            (0.55, 0.15),
            (0.55, 0.45),
            (0.85, 0.45),
            (0.85, 0.35),
            (1.0, 0.5),
            (0.85, 0.65),
            (0.85, 0.55),
            (0.55, 0.55),
            (0.55, 0.85),
            (0.65, 0.85),
            (0.5, 1.0),
            (0.35, 0.85),
            (0.45, 0.85),
            (0.45, 0.55),
            (0.15, 0.55),
            (0.15, 0.65),
            (0.0, 0.5),
            (0.15, 0.35),
            (0.15, 0.45),
            (0.45, 0.45),
            (0.45, 0.15),
            (0.35, 0.15),
        ]),
        "homePlate" => {
            let x = 1.0 - across(0.5, 1.0);
            polygon(vec![(0.0, 0.0), (x, 0.0), (1.0, 0.5), (x, 1.0), (0.0, 1.0)])
        }
        "chevron" => {
            let x = across(0.5, 0.5);
            polygon(vec![(0.0, 0.0), (1.0 - x, 0.0), (1.0, 0.5), (1.0 - x, 1.0), (0.0, 1.0), (x, 0.5)])
        }
        "parallelogram" => {
            let x = across(0.25, 0.5);
            polygon(vec![(x, 0.0), (1.0, 0.0), (1.0 - x, 1.0), (0.0, 1.0)])
        }
        "flowChartInputOutput" => polygon(vec![(0.2, 0.0), (1.0, 0.0), (0.8, 1.0), (0.0, 1.0)]),
        "trapezoid" => {
            let x = across(0.25, 0.5);
            polygon(vec![(x, 0.0), (1.0 - x, 0.0), (1.0, 1.0), (0.0, 1.0)])
        }
        "flowChartManualOperation" => polygon(vec![(0.0, 0.0), (1.0, 0.0), (0.8, 1.0), (0.2, 1.0)]),
        "flowChartManualInput" => polygon(vec![(0.0, 0.2), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]),
        "hexagon" => {
            let x = across(0.25, 0.5);
            polygon(vec![(x, 0.0), (1.0 - x, 0.0), (1.0, 0.5), (1.0 - x, 1.0), (x, 1.0), (0.0, 0.5)])
        }
        "flowChartPreparation" => polygon(vec![(0.2, 0.0), (0.8, 0.0), (1.0, 0.5), (0.8, 1.0), (0.2, 1.0), (0.0, 0.5)]),
        "octagon" => {
            let (x, y) = (across(0.29, 0.5), down(0.29, 0.5));
            polygon(vec![(x, 0.0), (1.0 - x, 0.0), (1.0, y), (1.0, 1.0 - y), (1.0 - x, 1.0), (x, 1.0), (0.0, 1.0 - y), (0.0, y)])
        }
        "pentagon" => regular(5),
        "heptagon" => regular(7),
        "decagon" => regular(10),
        "dodecagon" => regular(12),
        "star4" => star(4, 0.25),
        "star5" => star(5, 0.382),
        "star6" => star(6, 0.577),
        "star7" => star(7, 0.6),
        "star8" => star(8, 0.765),
        "star10" => star(10, 0.85),
        "star12" => star(12, 0.75),
        "star16" => star(16, 0.75),
        "star24" | "star32" => star(24, 0.75),
        "irregularSeal1" | "irregularSeal2" | "sun" => star(12, 0.6),
        "plus" => {
            let (x, y) = (across(0.25, 0.5), down(0.25, 0.5));
            polygon(vec![
                (x, 0.0),
                (1.0 - x, 0.0),
                (1.0 - x, y),
                (1.0, y),
                (1.0, 1.0 - y),
                (1.0 - x, 1.0 - y),
                (1.0 - x, 1.0),
                (x, 1.0),
                (x, 1.0 - y),
                (0.0, 1.0 - y),
                (0.0, y),
                (x, y),
            ])
        }
        "flowChartOfflineStorage" => polygon(vec![(0.0, 0.0), (1.0, 0.0), (0.5, 1.0)]),
        "flowChartOffpageConnector" => polygon(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 0.8), (0.5, 1.0), (0.0, 0.8)]),
        "flowChartPunchedCard" => polygon(vec![(0.2, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.2)]),
        "foldedCorner" => {
            let (x, y) = (1.0 - across(0.1667, 1.0), 1.0 - down(0.1667, 1.0));
            polygon(vec![(0.0, 0.0), (1.0, 0.0), (1.0, y), (x, 1.0), (0.0, 1.0)])
        }
        "flowChartTerminator" => stadium(),
        "flowChartDelay" => {
            let mut points = vec![(0.0, 0.0), (0.5, 0.0)];
            points.extend(arc((0.5, 0.5), (0.5, 0.5), -PI / 2.0, PI / 2.0));
            points.push((0.0, 1.0));
            polygon(points)
        }
        "flowChartDocument" | "flowChartMultidocument" => {
            // The bottom edge: a cubic curve from high on the right to low on the left,
            // dipping below the left end in between.
            let [p0, p1, p2, p3] = [(1.0, 0.802), (0.5, 0.802), (0.5, 1.108), (0.0, 0.934)];
            let mut points = vec![(0.0, 0.0), (1.0, 0.0)];
            points.extend((0..=STEPS).map(|i| {
                let t = i as f32 / STEPS as f32;
                let u = 1.0 - t;
                let blend = |a: f32, b: f32, c: f32, d: f32| u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d;
                (blend(p0.0, p1.0, p2.0, p3.0), blend(p0.1, p1.1, p2.1, p3.1))
            }));
            polygon(points)
        }
        "can" | "flowChartMagneticDisk" => {
            // The body and the bottom's half ellipse; the top's front edge is left out.
            let mut points = arc((0.5, 0.1), (0.5, 0.1), PI, TAU);
            points.extend(arc((0.5, 0.9), (0.5, 0.1), 0.0, PI));
            polygon(points)
        }
        "wedgeRectCallout" | "wedgeRoundRectCallout" | "borderCallout1" | "callout1" | "accentCallout1" => {
            polygon(vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.33, 1.0), (0.29, 1.125), (0.17, 1.0), (0.0, 1.0)])
        }
        "wedgeEllipseCallout" => {
            // The ellipse, opened towards the tail's tip below and left of it.
            let mut points = arc((0.5, 0.5), (0.5, 0.5), 0.0, 1.75);
            points.push((0.29, 1.125));
            points.extend(arc((0.5, 0.5), (0.5, 0.5), 2.1, TAU));
            polygon(points)
        }
        "heart" => polygon(
            (0..STEPS)
                .map(|i| {
                    let t = TAU * i as f32 / STEPS as f32;
                    let (x, y) = (16.0 * t.sin().powi(3), 13.0 * t.cos() - 5.0 * (2.0 * t).cos() - 2.0 * (3.0 * t).cos() - (4.0 * t).cos());
                    (0.5 + x / 34.0, 0.4 - y / 30.0)
                })
                .collect(),
        ),
        "moon" => {
            let mut points = arc((1.0, 0.5), (1.0, 0.5), PI / 2.0, 1.5 * PI);
            points.extend(arc((1.0, 0.5), (0.5, 0.5), 1.5 * PI, PI / 2.0));
            polygon(points)
        }
        "lightningBolt" => polygon(
            [
                (8458, 0),
                (0, 3923),
                (7564, 8416),
                (4993, 9720),
                (12197, 13904),
                (9987, 14934),
                (21600, 21600),
                (14768, 12911),
                (16933, 12043),
                (11030, 6637),
                (13525, 5596),
            ]
            .iter()
            .map(|&(x, y)| (x as f32 / 21_600.0, y as f32 / 21_600.0))
            .collect(),
        ),
        "teardrop" => {
            let mut points = arc((0.5, 0.5), (0.5, 0.5), 0.0, 1.5 * PI);
            points.extend([(1.0, 0.0)]);
            polygon(points)
        }
        "pie" => {
            let mut points = vec![(0.5, 0.5)];
            points.extend(arc((0.5, 0.5), (0.5, 0.5), 0.0, 1.5 * PI));
            polygon(points)
        }
        // From 45 to 270 degrees, the chord closing it.
        "chord" => polygon(arc((0.5, 0.5), (0.5, 0.5), PI / 4.0, 1.5 * PI)),
        // Anything else (ribbons, scrolls, curved arrows, brackets, action buttons): its
        // box, so that the shape and its fill are seen.
        _ => ShapeKind::Rect,
    })
}

/// Points along an ellipse about `centre` with radii `radius`, from angle `from` to `to`
/// (radians, clockwise on the page from three o'clock).
fn arc((cx, cy): (f32, f32), (rx, ry): (f32, f32), from: f32, to: f32) -> Vec<(f32, f32)> {
    (0..=STEPS)
        .map(|i| {
            let a = from + (to - from) * i as f32 / STEPS as f32;
            (cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect()
}

/// A regular polygon of `n` corners in the unit square, one corner at the top.
fn regular(n: usize) -> ShapeKind {
    ShapeKind::Polygon((0..n).map(|i| point(TAU * i as f32 / n as f32, 1.0)).collect())
}

/// A star of `n` points, its inner corners at `inner` of the outer radius.
fn star(n: usize, inner: f32) -> ShapeKind {
    ShapeKind::Polygon((0..2 * n).map(|i| point(PI * i as f32 / n as f32, if i % 2 == 0 { 1.0 } else { inner })).collect())
}

/// The point at `angle` clockwise from the top, at `radius` of the unit square's half.
fn point(angle: f32, radius: f32) -> (f32, f32) {
    (0.5 + 0.5 * radius * angle.sin(), 0.5 - 0.5 * radius * angle.cos())
}

/// A rectangle with half circles at its ends (for a box twice as wide as high).
fn stadium() -> ShapeKind {
    let mut points = arc((0.25, 0.5), (0.25, 0.5), PI / 2.0, 1.5 * PI);
    points.extend(arc((0.75, 0.5), (0.25, 0.5), -PI / 2.0, PI / 2.0));
    ShapeKind::Polygon(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_outlines_in_their_box() {
        for name in ["star5", "heart", "moon", "can", "flowChartDocument", "lightningBolt", "octagon", "pentagon", "flowChartTerminator", "pie"] {
            let Some(ShapeKind::Polygon(points)) = preset(name) else { panic!("{name}: not a polygon") };
            assert!(points.len() >= 4, "{name}");
            for (x, y) in points {
                assert!((-0.01..=1.01).contains(&x) && (-0.01..=1.01).contains(&y), "{name}: ({x}, {y}) outside its box");
            }
        }
        // The regular pentagon is not the arrow-like home plate.
        assert_ne!(preset("pentagon"), preset("homePlate"));
        // Unknown presets are their box; text without a shape has no outline.
        assert_eq!(preset("ribbon2"), Some(ShapeKind::Rect));
        assert_eq!(preset("textNoShape"), None);
    }
}
