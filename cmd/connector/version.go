package main

import "github.com/gemeenten/meta-bezwaar-connector/internal/version"

func versionLine() string { return version.String() }
