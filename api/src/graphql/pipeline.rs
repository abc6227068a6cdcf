//! Turns a raw GraphQL request (from HTTP or a websocket) into one ready to execute, applying
//! every check that must happen before execution, in one place for both transports.

use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use async_graphql::{Request, Variables};
use khub_infra::config::Limits;
use serde::Deserialize;

use super::error::ErrorCode;
use super::limits;
use super::selection_order::RootOrder;

/// A GraphQL request as the client sent it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RawRequest {
    pub query: Option<String>,
    pub operation_name: Option<String>,
    pub variables: Option<serde_json::Value>,
    pub extensions: Option<serde_json::Value>,
}

/// Why a request cannot be executed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFailure {
    pub code: ErrorCode,
    pub message: String,
}

impl RequestFailure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// What a request may do on this server.
#[derive(Debug, Clone)]
pub struct Rules {
    pub limits: Limits,
    /// Whether `__schema` and `__type` may be queried.
    pub introspection: bool,
}

/// A request that passed every pre-execution check.
pub struct Prepared {
    pub request: Request,
    pub operation: OperationType,
    /// The name of the operation that will run, from `operationName` or the document.
    pub operation_name: Option<String>,
}

impl Prepared {
    /// Another request for the same operation, already parsed (a `Request` cannot be cloned;
    /// a shared subscription runs its operation more than once).
    pub fn again(&mut self) -> Request {
        copy_of(&mut self.request)
    }
}

/// `request`'s operation (document, parsed once, variables, operation name, introspection
/// mode) as a new request, without its data.
pub(crate) fn copy_of(request: &mut Request) -> Request {
    let mut copy = Request::new(request.query.clone()).variables(request.variables.clone());
    copy.operation_name = request.operation_name.clone();
    copy.introspection_mode = request.introspection_mode;
    if let Ok(document) = request.parsed_query() {
        copy.set_parsed_query(document.clone());
    }
    copy
}

/// Checks `raw` and builds the executable request.
pub fn prepare(raw: RawRequest, rules: &Rules) -> Result<Prepared, RequestFailure> {
    let query = raw
        .query
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| RequestFailure::new(ErrorCode::BadRequest, "the request has no `query`"))?;
    let variables = variables(raw.variables)?;
    limits::check_nesting(&query)
        .map_err(|m| RequestFailure::new(ErrorCode::GraphqlValidationFailed, m))?;
    let doc = async_graphql::parser::parse_query(&query)
        .map_err(|e| RequestFailure::new(ErrorCode::GraphqlParseFailed, e.to_string()))?;
    let (operation, operation_name) = select_operation(&doc, raw.operation_name.as_deref())?;
    limits::check_aliases(&doc, rules.limits.max_aliases)
        .and_then(|()| limits::check_introspection_depth(&doc))
        .and_then(|()| match rules.introspection {
            true => Ok(()),
            false => limits::refuse_introspection(&doc),
        })
        .map_err(|m| RequestFailure::new(ErrorCode::GraphqlValidationFailed, m))?;
    let mut request = Request::new(query).variables(variables);
    if let Some(name) = &raw.operation_name {
        request = request.operation_name(name.clone());
    }
    request = request.data(RootOrder::of(&doc, operation_name.as_deref()));
    request.set_parsed_query(doc);
    Ok(Prepared {
        request,
        operation,
        operation_name,
    })
}

fn variables(raw: Option<serde_json::Value>) -> Result<Variables, RequestFailure> {
    match raw {
        None | Some(serde_json::Value::Null) => Ok(Variables::default()),
        Some(value @ serde_json::Value::Object(_)) => Ok(Variables::from_json(value)),
        Some(_) => Err(RequestFailure::new(
            ErrorCode::BadRequest,
            "`variables` must be a JSON object",
        )),
    }
}

/// The type and name of the operation that will run, following the spec's GetOperation.
fn select_operation(
    doc: &ExecutableDocument,
    name: Option<&str>,
) -> Result<(OperationType, Option<String>), RequestFailure> {
    let unknown = |name: &str| {
        RequestFailure::new(
            ErrorCode::GraphqlValidationFailed,
            format!("the document has no operation named `{name}`"),
        )
    };
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), None) => Ok((op.node.ty, None)),
        (DocumentOperations::Single(_), Some(name)) => Err(unknown(name)),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .get(name)
            .map(|op| (op.node.ty, Some(name.to_owned())))
            .ok_or_else(|| unknown(name)),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
            .iter()
            .map(|(name, op)| (op.node.ty, Some(name.to_string())))
            .next()
            .ok_or_else(|| unknown("")),
        (DocumentOperations::Multiple(_), None) => Err(RequestFailure::new(
            ErrorCode::GraphqlValidationFailed,
            "the document has several operations: name one with `operationName`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            limits: Limits::default(),
            introspection: false,
        }
    }

    fn raw(query: &str, name: Option<&str>) -> RawRequest {
        RawRequest {
            query: Some(query.into()),
            operation_name: name.map(Into::into),
            variables: None,
            extensions: None,
        }
    }

    fn failure(query: &str, name: Option<&str>) -> RequestFailure {
        match prepare(raw(query, name), &rules()) {
            Ok(_) => panic!("`{query}` was accepted"),
            Err(failure) => failure,
        }
    }

    #[test]
    fn the_named_operation_decides_the_operation_type() {
        let doc = "query A { a } mutation B { b }";
        let prepared = prepare(raw(doc, Some("B")), &rules()).expect("valid");
        assert_eq!(prepared.operation, OperationType::Mutation);
        assert_eq!(prepared.operation_name.as_deref(), Some("B"));
    }

    #[test]
    fn several_operations_without_a_name_are_refused() {
        assert_eq!(
            failure("query A { a } query B { b }", None).code,
            ErrorCode::GraphqlValidationFailed
        );
        assert_eq!(
            failure("{ a }", Some("Nope")).code,
            ErrorCode::GraphqlValidationFailed
        );
    }

    #[test]
    fn broken_syntax_is_a_parse_failure() {
        assert_eq!(failure("{ a ", None).code, ErrorCode::GraphqlParseFailed);
    }

    #[test]
    fn a_ten_thousand_deep_document_is_refused_without_parsing() {
        let deep = format!("{}{}", "{a".repeat(10_000), "}".repeat(10_000));
        assert_eq!(
            failure(&deep, None).code,
            ErrorCode::GraphqlValidationFailed
        );
    }

    #[test]
    fn a_single_named_operation_is_named_without_operation_name() {
        let prepared = prepare(raw("query Probe { a }", None), &rules()).expect("valid");
        assert_eq!(prepared.operation_name.as_deref(), Some("Probe"));
    }

    #[test]
    fn introspection_is_refused_when_turned_off_but_typename_is_not() {
        let code = |q| failure(q, None).code;
        assert_eq!(
            code("{ __schema { types { name } } }"),
            ErrorCode::GraphqlValidationFailed
        );
        assert_eq!(
            code("{ a { __type(name: \"Q\") { name } } }"),
            ErrorCode::GraphqlValidationFailed
        );
        assert!(prepare(raw("{ __typename }", None), &rules()).is_ok());
    }

    #[test]
    fn variables_must_be_an_object() {
        let mut request = raw("{ a }", None);
        request.variables = Some(serde_json::json!([1]));
        assert!(matches!(prepare(request, &rules()), Err(f) if f.code == ErrorCode::BadRequest));
    }
}
