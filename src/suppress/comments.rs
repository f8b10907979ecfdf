//! Comments in Terraform (HCL) and YAML text, found without a full parse: strings, template
//! interpolations and heredocs are skipped, so a `#` inside them is not a comment.

/// Byte ranges of the comments of an HCL file (`#`, `//` and `/* */`), markers included.
pub fn hcl(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // What encloses the current position: a string, or an interpolation inside a string (with
    // its brace depth). Empty: top-level code.
    #[derive(Clone, Copy, PartialEq)]
    enum Ctx {
        Str,
        Interp(usize),
    }
    let mut stack: Vec<Ctx> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        match stack.last().copied() {
            Some(Ctx::Str) => {
                match (b, next) {
                    (b'\\', _) => i += 1,
                    (b'"', _) => {
                        stack.pop();
                    }
                    (b'$' | b'%', Some(b'{')) => {
                        stack.push(Ctx::Interp(0));
                        i += 1;
                    }
                    // Quoted strings end at the line's end in HCL; do not run away.
                    (b'\n', _) => {
                        stack.pop();
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            Some(Ctx::Interp(depth)) if b == b'}' => {
                stack.pop();
                if depth > 0 {
                    stack.push(Ctx::Interp(depth - 1));
                }
                i += 1;
                continue;
            }
            Some(Ctx::Interp(depth)) if b == b'{' => {
                stack.pop();
                stack.push(Ctx::Interp(depth + 1));
                i += 1;
                continue;
            }
            _ => {}
        }
        match (b, next) {
            (b'#', _) | (b'/', Some(b'/')) => {
                let end = line_end(bytes, i);
                out.push((i, end));
                i = end;
            }
            (b'/', Some(b'*')) => {
                let end = find(bytes, i + 2, b"*/").map_or(bytes.len(), |e| e + 2);
                out.push((i, end));
                i = end;
            }
            (b'"', _) => {
                if stack.len() < 64 {
                    stack.push(Ctx::Str);
                }
                i += 1;
            }
            (b'<', Some(b'<')) if stack.is_empty() => i = skip_heredoc(bytes, i),
            _ => i += 1,
        }
    }
    out
}

/// Byte ranges of the comments of a YAML file: `#` at the start of a line or after a space,
/// outside quoted scalars.
pub fn yaml(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = line_end(bytes, start);
        let mut quote: Option<u8> = None;
        let mut i = start;
        while i < end {
            let b = bytes[i];
            match quote {
                Some(b'"') if b == b'\\' => i += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => {
                    let after_space = i == start || bytes[i - 1].is_ascii_whitespace();
                    let after_indicator = i > start && matches!(bytes[i - 1], b'[' | b'{' | b',');
                    if after_space || after_indicator || bytes[start..i].ends_with(b": ") {
                        quote = Some(b);
                    }
                }
                None if b == b'#' && (i == start || bytes[i - 1].is_ascii_whitespace()) => {
                    out.push((i, end));
                    break;
                }
                None => {}
            }
            i += 1;
        }
        start = end + 1;
    }
    out
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Skips a heredoc starting at `<<` (`<<EOT` or `<<-EOT`): returns the offset after its closing
/// line, or after the `<<` when it is not a heredoc.
fn skip_heredoc(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 2;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let ident_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    if i == ident_start || !matches!(bytes.get(i), Some(b'\n') | Some(b'\r')) {
        return at + 2;
    }
    let ident = &bytes[ident_start..i];
    let mut line = line_end(bytes, i) + 1;
    while line < bytes.len() {
        let end = line_end(bytes, line);
        let content = bytes[line..end].trim_ascii();
        if content == ident {
            return end;
        }
        line = end + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(text: &'a str, ranges: &[(usize, usize)]) -> Vec<&'a str> {
        ranges.iter().map(|&(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn hcl_comments_outside_strings_and_heredocs() {
        let src = r##"# one
resource "x" "y" { // two
  a = "not # a comment ${var.x["#"]}"
  b = <<EOT
# not a comment either
EOT
  /* three
  */ c = 1 # four
}
"##;
        assert_eq!(
            texts(src, &hcl(src)),
            ["# one", "// two", "/* three\n  */", "# four"]
        );
    }

    #[test]
    fn yaml_comments_outside_quotes() {
        let src = "# one\nA: 'x # y' # two\nB: \"a # b\"\nC: url#frag\n  # three\n";
        assert_eq!(texts(src, &yaml(src)), ["# one", "# two", "# three"]);
    }

    #[test]
    fn hostile_text_does_not_hang_or_panic() {
        for src in ["\"", "<<", "<<EOT\n", "${", "\"${{{{", "/*", "'#", "\"\\"] {
            let _ = hcl(src);
            let _ = yaml(src);
        }
    }
}
