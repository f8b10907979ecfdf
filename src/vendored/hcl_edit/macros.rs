macro_rules! forward_decorate_impl {
    ($($ty:ident => { $($variant:ident),+ }),+ $(,)?) => {
        $(
            impl $crate::vendored::hcl_edit::Decorate for $ty {
                fn decor(&self) -> &$crate::vendored::hcl_edit::Decor {
                    match self {
                        $(
                            $ty::$variant(v) => $crate::vendored::hcl_edit::Decorate::decor(v),
                        )*
                    }
                }

                fn decor_mut(&mut self) -> &mut $crate::vendored::hcl_edit::Decor {
                    match self {
                        $(
                            $ty::$variant(v) => $crate::vendored::hcl_edit::Decorate::decor_mut(v),
                        )*
                    }
                }
            }
        )+
    };
}

macro_rules! forward_span_impl {
    ($($ty:ident => { $($variant:ident),+ }),+ $(,)?) => {
        $(
            impl $crate::vendored::hcl_edit::Span for $ty {
                fn span(&self) -> Option<std::ops::Range<usize>> {
                    match self {
                        $(
                            $ty::$variant(v) => $crate::vendored::hcl_edit::Span::span(v),
                        )*
                    }
                }
            }

            impl $crate::vendored::hcl_edit::SetSpan for $ty {
                fn set_span(&mut self, span: std::ops::Range<usize>) {
                    match self {
                        $(
                            $ty::$variant(v) => $crate::vendored::hcl_edit::SetSpan::set_span(v, span),
                        )*
                    }
                }
            }
        )+
    };
}

macro_rules! decorate_impl {
    ($($ty:ident),+ $(,)?) => {
        $(
            impl $crate::vendored::hcl_edit::Decorate for $ty {
                fn decor(&self) -> &$crate::vendored::hcl_edit::Decor {
                    &self.decor
                }

                fn decor_mut(&mut self) -> &mut $crate::vendored::hcl_edit::Decor {
                    &mut self.decor
                }
            }
        )+
    };
}

macro_rules! span_impl {
    ($($ty:ident),+ $(,)?) => {
        $(
            impl $crate::vendored::hcl_edit::Span for $ty {
                fn span(&self) -> Option<std::ops::Range<usize>> {
                    self.span.clone()
                }
            }

            impl $crate::vendored::hcl_edit::SetSpan for $ty {
                fn set_span(&mut self, span: std::ops::Range<usize>) {
                    self.span = Some(span);
                }
            }
        )+
    };
}
