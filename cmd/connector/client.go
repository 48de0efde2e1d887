package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// apiClient talks to a running connector (CONNECTOR_URL, CONNECTOR_TOKEN).
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

// newAPIClient reads CONNECTOR_URL (default http://127.0.0.1:8080) and CONNECTOR_TOKEN, or the
// dev token that `serve` keeps in <CONNECTOR_DATA_DIR>/dev-token.
func newAPIClient() (*apiClient, error) {
	base := strings.TrimRight(envOr("CONNECTOR_URL", "http://127.0.0.1:8080"), "/")
	token := strings.TrimSpace(os.Getenv("CONNECTOR_TOKEN"))
	if token == "" {
		path := filepath.Join(envOr("CONNECTOR_DATA_DIR", "./data"), "dev-token")
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("set CONNECTOR_TOKEN (no dev token at %s)", path)
		}
		token = strings.TrimSpace(string(b))
	}
	return &apiClient{base: base, token: token, http: &http.Client{Timeout: 2 * time.Minute}}, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// call sends a request and decodes the JSON answer into out; an error answer becomes an error
// with the problem's detail.
func (c *apiClient) call(method, path, contentType string, body []byte, out any) (int, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("the connector at %s does not answer: %w", c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 {
		return c.decodeError(resp)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, fmt.Errorf("unexpected answer: %w", err)
		}
	}
	return resp.StatusCode, nil
}

// decodeError turns an error answer into an error carrying the problem's detail.
func (c *apiClient) decodeError(resp *http.Response) (int, error) {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var p struct {
		Detail string `json:"detail"`
		Title  string `json:"title"`
	}
	if json.Unmarshal(raw, &p) == nil && p.Detail != "" {
		return resp.StatusCode, fmt.Errorf("%d %s: %s", resp.StatusCode, p.Title, p.Detail)
	}
	return resp.StatusCode, fmt.Errorf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
}

// writerFunc is told the size of every write (to count progress).
type writerFunc func(n int64)

func (f writerFunc) Write(b []byte) (int, error) {
	f(int64(len(b)))
	return len(b), nil
}
