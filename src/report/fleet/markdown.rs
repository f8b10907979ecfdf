//! x
/// r
pub fn render(_f: &super::Fleet) -> String { String::new() }
