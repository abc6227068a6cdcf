//! Turns `validator` reports into field errors named as the API names its input fields.

use validator::{Validate, ValidationErrors};

use crate::error::{DomainError, FieldError};

/// Validates `input`, reporting every broken rule as a field error.
pub fn check(input: &impl Validate) -> Result<(), DomainError> {
    input
        .validate()
        .map_err(|errors| DomainError::Invalid(field_errors(&errors)))
}

fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut found: Vec<FieldError> = errors
        .field_errors()
        .into_iter()
        .flat_map(|(field, problems)| {
            let field = camel_case(&field);
            problems.iter().map(move |problem| {
                let message = problem
                    .message
                    .as_deref()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("is not valid ({})", problem.code));
                FieldError::new(field.clone(), code_for(&problem.code), message)
            })
        })
        .collect();
    found.sort_by(|a, b| a.field.cmp(&b.field));
    found
}

fn code_for(code: &str) -> &'static str {
    match code {
        "length" => "LENGTH",
        "email" => "INVALID_EMAIL",
        "range" => "OUT_OF_RANGE",
        _ => "INVALID",
    }
}

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::camel_case;

    #[test]
    fn field_names_are_spelled_as_in_the_api() {
        assert_eq!(camel_case("display_name"), "displayName");
        assert_eq!(camel_case("email"), "email");
    }
}
