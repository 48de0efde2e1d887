package main

import (
	"context"
	"fmt"

	"github.com/gemeenten/meta-bezwaar-connector/internal/dutch"
	"github.com/gemeenten/meta-bezwaar-connector/internal/objection"
	"github.com/gemeenten/meta-bezwaar-connector/internal/woo"
)

// demoPublication shows the decision's way to the public: the connector registers it as a
// concept at the sandbox's publicatiebank, the communication advisor publishes it there (the demo
// plays that part through the publicatiebank's API, as the GPP app would), and the connector
// records the publicatiedatum on the besluit.
func demoPublication(ctx context.Context, a *app, client *apiClient, c *objection.Case, step func(string, ...any)) error {
	settled := func(c *objection.Case) bool {
		return c.Publication != nil && c.Publication.State != objection.PublicationPending
	}
	if err := waitUntil(ctx, client, c.ID, "the publication", settled, c); err != nil {
		return err
	}
	if c.Publication.State != objection.PublicationConcept {
		return fmt.Errorf("the decision was not published: %s", c.Publication.Problem)
	}
	step("besluit als concept klaargezet in het publicatieplatform (Woo), met het besluitdocument (%s)", c.Publication.URL)
	pb, err := woo.New(woo.Config{APIRoot: a.sandbox.WooRoot(), Token: a.sandbox.WooToken})
	if err != nil {
		return err
	}
	pb = pb.As(woo.User{ID: "communicatieadviseur", Representation: "De communicatieadviseur"})
	pub, err := pb.GetPublicatie(ctx, c.Publication.UUID)
	if err == nil {
		_, err = pb.Publish(ctx, pub)
	}
	if err != nil {
		return err
	}
	step("de communicatieadviseur publiceert het besluit in het publicatieplatform")
	dated := func(c *objection.Case) bool { return c.Publication.Publicatiedatum != "" }
	if err := waitUntil(ctx, client, c.ID, "the besluit's publicatiedatum", dated, c); err != nil {
		return err
	}
	step("besluit gepubliceerd: %s; publicatiedatum %s van het besluit vastgelegd in het zaaksysteem", c.Publication.PublicURL, dutch.Day(c.Publication.Publicatiedatum))
	return nil
}
