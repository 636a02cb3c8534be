//! Syntax: the TOML tree of a file, or its syntax errors (the first of each line).

use super::*;

/// At most this many syntax errors are reported.
const MAX_SYNTAX_ERRORS: usize = 10;

/// The TOML tree of `text`, or `None` with the file's syntax errors (the
/// first of each line, at most `MAX_SYNTAX_ERRORS`) in `cx`.
pub(crate) fn parse_tree<'i>(cx: &mut Cx<'_>, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
    if text.trim().is_empty() {
        cx.error(0..0, "", DiagnosticKind::Empty);
        return None;
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(root);
    }
    // Recovery after a syntax error cascades: keep the first error of each
    // line, and at most MAX_SYNTAX_ERRORS.
    let mut lines: Vec<usize> = Vec::new();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let line = cx.line_of(&span);
        if lines.contains(&line) {
            continue;
        }
        if lines.len() == MAX_SYNTAX_ERRORS {
            break;
        }
        lines.push(line);
        let mut message = e.message().trim().to_string();
        // Name the duplicated key: "duplicate key" alone does not say which.
        if (message.starts_with("duplicate key") || message.starts_with("duplicate table"))
            && let Some(name) = text
                .get(span.clone())
                .filter(|n| !n.is_empty() && n.len() < 80)
        {
            message = format!("{message} `{}`", name.trim_matches(['[', ']', ' ']));
        }
        cx.error(span, "", DiagnosticKind::Syntax { message });
    }
    None
}
