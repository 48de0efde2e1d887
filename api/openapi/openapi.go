// Package openapi holds the specification of the connector's own HTTP API, served at
// /api/v1/openapi.yaml and used by the tests to validate every request and answer.
package openapi

import _ "embed"

// Spec is the OpenAPI 3.0 document.
//
//go:embed openapi.yaml
var Spec []byte
