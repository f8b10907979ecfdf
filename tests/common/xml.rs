//! A strict XML reader for the JUnit tests (the emitter's unit tests include this file by path,
//! the integration tests through `common`): the document as a tree of elements.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An element of a parsed document.
#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, key: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("<{}> has no {key}", self.name))
    }

    pub fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

fn element(e: &BytesStart<'_>) -> Element {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let v = a
                .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .expect("valid escapes")
                .into_owned();
            (a.key.as_ref().to_string(), v)
        })
        .collect();
    Element {
        name: e.name().as_ref().to_string(),
        attrs,
        ..Element::default()
    }
}

/// Parses a whole JUnit document strictly: the declaration, one root, matching tags, known
/// entities, only characters XML 1.0 allows, nothing but elements and text.
pub fn parse(xml: &str) -> Element {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{xml}"
    );
    for c in xml.chars() {
        let allowed = matches!(c, '\t' | '\n' | '\r')
            || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}');
        assert!(allowed, "character {c:?} is not allowed in XML 1.0");
    }
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Element::default()];
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed ({e}):\n{xml}"));
        match event {
            Event::Decl(_) => {}
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().expect("a parent").children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().expect("an open element");
                stack.last_mut().expect("a parent").children.push(el);
            }
            Event::Text(t) => {
                let s = quick_xml::escape::unescape(&t).expect("valid text");
                stack.last_mut().expect("a parent").text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let reference = format!("&{};", &*r);
                let s = quick_xml::escape::unescape(&reference).expect("known entity");
                stack.last_mut().expect("a parent").text.push_str(&s);
            }
            Event::Eof => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    let mut doc = stack.pop().expect("the document");
    assert_eq!(doc.children.len(), 1, "one root element");
    assert!(doc.text.trim().is_empty(), "no text outside the root");
    doc.children.remove(0)
}
