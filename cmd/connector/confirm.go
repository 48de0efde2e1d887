package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
)

// confirmCmd hands an e-mail to a running connector: `connector confirm [CASE] FILE.eml`.
func confirmCmd(args []string, stdout io.Writer) error {
	var caseID, file string
	switch len(args) {
	case 1:
		file = args[0]
	case 2:
		caseID, file = args[0], args[1]
	default:
		return usageError{"confirm takes [CASE] FILE.eml"}
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	c, err := newAPIClient()
	if err != nil {
		return err
	}
	path := "/api/v1/confirmations"
	if caseID != "" {
		path = "/api/v1/cases/" + caseID + "/confirmations"
	}
	var conf objection.Confirmation
	status, err := c.call("POST", path, "message/rfc822", raw, &conf)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintln(stdout, describeConfirmation(&conf, status == http.StatusOK))
	return nil
}

func describeConfirmation(c *objection.Confirmation, duplicate bool) string {
	kind := "ontvangstbericht (nog geen bevestiging)"
	if c.Honoured {
		kind = "bevestiging (bezwaar gehonoreerd)"
	}
	s := fmt.Sprintf("%s aanvaard voor zaak %s, accounts %v", kind, c.CaseID, c.Accounts)
	if duplicate {
		s = "al eerder ontvangen: " + s + " — niets opnieuw opgeslagen"
	}
	return strings.TrimSpace(s)
}
