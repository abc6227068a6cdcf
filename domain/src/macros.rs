//! Macros shared by the domain's modules.

/// Gives a fieldless enum its stable storage spelling (`as_str`) and the way back (`parse`).
macro_rules! stable_names {
    ($type:ident { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $type {
            /// The stable spelling used in storage.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($name => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}
