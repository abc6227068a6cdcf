//! Markdown as people write it, and the HTML the API serves for it.
//!
//! What was written is stored untouched; the HTML is derived from it on the way out and
//! sanitised, so no script, event handler or `javascript:` link ever reaches a reader.

use std::sync::LazyLock;

use pulldown_cmark::{Options, Parser, html};

/// One sanitiser for the whole process: building it parses its allow-lists.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("nofollow noopener noreferrer"));
    builder
});

/// Renders CommonMark (with tables, strikethrough and task lists) to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    SANITISER.clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(
            to_html("**Bold** move"),
            "<p><strong>Bold</strong> move</p>\n"
        );
    }

    #[test]
    fn scripts_handlers_and_script_links_never_survive() {
        let written = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> \
                       [click](javascript:alert(3)) <a href=\"JaVaScRiPt:alert(4)\">x</a>";
        let html = to_html(written);
        for forbidden in [
            "<script",
            "onerror",
            "javascript:",
            "JaVaScRiPt",
            "alert(1)",
        ] {
            assert!(!html.contains(forbidden), "{forbidden} in {html}");
        }
    }

    #[test]
    fn safe_links_are_kept_and_marked_external() {
        let html = to_html("[guide](https://example.org/guide)");
        assert!(
            html.contains(r#"href="https://example.org/guide""#),
            "{html}"
        );
        assert!(html.contains("noopener"), "{html}");
    }
}
