//! Who is asking. Credentials arrive as `Authorization: Bearer …` on HTTP and as
//! `{"authorization": "Bearer …"}` in a websocket's `connection_init`.

use khub_domain::DomainError;

/// The reader or actor of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// Nobody signed in: sees what is public.
    Anonymous,
}

/// Resolves the credentials of a request. No credentials means anonymous; credentials that
/// cannot be verified are refused, never quietly served as anonymous. This release issues no
/// sessions or API tokens yet, so every presented token is unverifiable.
pub fn authenticate(authorization: Option<&str>) -> Result<Viewer, DomainError> {
    match authorization.map(str::trim) {
        None | Some("") => Ok(Viewer::Anonymous),
        // Until sessions and API tokens exist, a well-formed bearer token is as unverifiable as
        // a malformed header.
        Some(value) => {
            let _token = bearer_token(value);
            Err(DomainError::Unauthenticated)
        }
    }
}

fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_credentials_is_anonymous() {
        assert_eq!(authenticate(None).ok(), Some(Viewer::Anonymous));
    }

    #[test]
    fn an_unverifiable_token_is_refused_not_served_as_anonymous() {
        assert!(matches!(
            authenticate(Some("Bearer abc")),
            Err(DomainError::Unauthenticated)
        ));
        assert!(matches!(
            authenticate(Some("Basic abc")),
            Err(DomainError::Unauthenticated)
        ));
    }
}
