package closer

import (
	"hooklens/backend/registration"
	"net/url"
)

func guideSteps(hookURL, secret string) []registration.Step {
	token := secret
	var steps []registration.Step
	if secret == "" {
		token = registration.SecretPlaceholder
		steps = append(steps, registration.Step{
			Title: "Choose a shared token",
			Text: "Closer documents no signature, so Hooklens checks a token of your choice instead. Pick a " +
				"random string and save it in Settings → Secrets → Closer, then reopen this guide: the text " +
				"below shows " + registration.SecretPlaceholder + " until you do.",
		})
	}
	withToken := hookURL + "?token=" + url.QueryEscape(token)
	steps = append(steps,
		registration.Step{
			Title: "Ask Closer support to send business events",
			Text: "Closer sets up JSON business-event webhooks on request (tech@closer.app). Send them the URL, " +
				"the method and the token. Hooklens accepts the token in any of three places: an X-Closer-Token " +
				"header (best, since URLs end up in logs), an Authorization: Bearer header, or a token query " +
				"parameter when only the URL can be configured. The message below says all of it.",
			Code: "Subject: JSON business-event webhooks for our organization\n\n" +
				"Hello,\n\n" +
				"please send our organization's business events as webhooks:\n\n" +
				"  URL:      " + hookURL + "\n" +
				"  Method:   POST, Content-Type: application/json\n" +
				"  Auth:     header \"X-Closer-Token: " + token + "\"\n" +
				"            (or \"Authorization: Bearer " + token + "\";\n" +
				"            if no header can be set, use " + withToken + ")\n" +
				"  Events:   all agent and conversation events\n\n" +
				"Thank you.",
		},
		registration.Step{
			Title: "Or use the legacy webhooks",
			Text: "The older Closer webhooks (conversation created and closed only) are set in the Closer " +
				"dashboard under Settings → Webhooks. They cannot add a header, so register the URL with the " +
				"token in it.",
			Code: withToken,
		},
		registration.Step{
			Title: "Check and mark as registered",
			Text: "Once Closer confirms, log in as an agent or open a conversation: the events appear in the " +
				"Inbox, marked verified when the token matches. Mark the registration done so the Tunnel " +
				"panel warns you when the public URL changes.",
		},
	)
	return steps
}

// Guide fills h with the steps that register url with Closer (registration.Guide).
func (vendor) Guide(h *registration.Help, url string, in registration.Input) error {
	h.Steps = guideSteps(url, in.Secret)
	return nil
}
