//! Renders a document to PNG files and prints its report.
//!
//! ```text
//! cargo run --release -p docsandbox --example render -- samples/welcome.pdf /tmp/pages
//! ```
use std::ops::ControlFlow;

use docsandbox::{Limits, RenderOptions, Sandbox};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: render INPUT OUT_DIR");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&input)?;
    std::fs::create_dir_all(&out)?;

    let sandbox = Sandbox::new(Limits::default())?;
    // Stream the pages: each is written as soon as it is ready and then dropped.
    let summary = sandbox.render_streaming(&bytes, &RenderOptions::default().dpi(150), |page, _progress| {
        let path = format!("{out}/page-{:04}.png", page.number());
        match std::fs::write(&path, page.to_png()) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                eprintln!("{path}: {e}");
                ControlFlow::Break(())
            }
        }
    })?;
    println!("{} pages in {:?}", summary.pages_rendered, summary.stats.wall_time);
    if let Some(reason) = &summary.truncated {
        println!("stopped early: {reason}");
    }
    println!("{}", summary.report.to_json());
    Ok(())
}
