package main

import (
	"reflect"

	"hooklens/backend"
	"hooklens/backend/api"
	"hooklens/backend/decode"
	"hooklens/backend/decode/livechat"
	"hooklens/backend/decode/livechat/configapi"
	"hooklens/backend/diff"
	"hooklens/backend/receiver"
	"hooklens/backend/registration"
	"hooklens/backend/replay"
	"hooklens/backend/settings"
	"hooklens/backend/tunnel"
)

// root is a type the API sends (an answer, a stream message) or reads (a request body).
type root struct {
	v       any
	request bool
}

// roots are the bodies of backend/api, in the order of docs/api.md. Types they reach are
// emitted too.
var roots = []root{
	{v: api.Health{}},
	{v: api.DeliveryPage{}},
	{v: api.DeliveryDetail{}},
	{v: api.DeliveriesMessage{}},
	{v: api.ErrorResponse{}},
	{v: api.CatalogList{}},
	{v: api.VendorList{}},
	{v: decode.Catalog{}},
	{v: api.SchemaView{}},
	{v: api.VersionsResponse{}},
	{v: api.SampleRequest{}, request: true},
	{v: api.Created{}},
	{v: api.SettingsView{}},
	{v: settings.Patch{}, request: true},
	{v: api.SecretRequest{}, request: true},
	{v: api.ConversationPage{}},
	{v: api.AgentPage{}},
	{v: api.ConversationTimeline{}},
	{v: api.AgentTimeline{}},
	{v: api.ExportCount{}},
	{v: backend.ImportSummary{}},
	{v: api.ReplayRequest{}, request: true},
	{v: api.ReplayRun{}},
	{v: api.ReplayList{}},
	{v: api.TestRequest{}, request: true},
	{v: api.TestRun{}},
	{v: replay.ForwardSettings{}, request: true},
	{v: replay.ForwardStatus{}},
	{v: api.ScenarioList{}},
	{v: api.SimulateRequest{}, request: true},
	{v: api.SimulateResult{}},
	{v: tunnel.Status{}},
	{v: tunnel.StartRequest{}, request: true},
	{v: api.RegistrationHelp{}},
	{v: api.MarkRegisteredRequest{}, request: true},
	{v: livechat.RegisterRequest{}, request: true},
	{v: liveChatRegisterResult{}},
	{v: api.DeliveryDiff{}},
	{v: api.CatalogComparison{}},
	{v: api.ConversationDiff{}},
	{v: api.Coverage{}},
}

// names are the TypeScript names of Go types whose own name says too little outside their
// package; every other type keeps its Go name. Two types with one name fail the generator.
var names = map[reflect.Type]string{
	reflect.TypeFor[api.SettingsView]():         "Settings",
	reflect.TypeFor[diff.Summary]():             "DiffSummary",
	reflect.TypeFor[diff.Change]():              "DiffChange",
	reflect.TypeFor[diff.TextLine]():            "DiffLine",
	reflect.TypeFor[diff.Step]():                "ConversationStep",
	reflect.TypeFor[diff.StepEvent]():           "ConversationStepEvent",
	reflect.TypeFor[diff.ConversationSide]():    "ConversationDiffSide",
	reflect.TypeFor[backend.ImportSummary]():    "ImportResult",
	reflect.TypeFor[backend.Event]():            "DecodedEvent",
	reflect.TypeFor[backend.Header]():           "HeaderPair",
	reflect.TypeFor[decode.EventType]():         "CatalogEvent",
	reflect.TypeFor[decode.Field]():             "CatalogField",
	reflect.TypeFor[receiver.Response]():        "CustomResponse",
	reflect.TypeFor[registration.Step]():        "RegistrationStep",
	reflect.TypeFor[settings.Patch]():           "SettingsPatch",
	reflect.TypeFor[settings.Totals]():          "StoreTotals",
	reflect.TypeFor[backend.Prune]():            "Prune",
	reflect.TypeFor[tunnel.Status]():            "TunnelStatus",
	reflect.TypeFor[tunnel.StartRequest]():      "TunnelStart",
	reflect.TypeFor[tunnel.Available]():         "TunnelAvailable",
	reflect.TypeFor[api.ConversationItem]():     "Conversation",
	reflect.TypeFor[api.AgentItem]():            "Agent",
	reflect.TypeFor[liveChatRegisterResult]():   "LiveChatRegisterResult",
	reflect.TypeFor[livechat.RegisterRequest](): "LiveChatRegisterRequest",
}

// enums are the values a string field takes, from the Go constants: "Type.json_name" (Type as
// named in TypeScript).
var enums = map[string][]string{
	"Verification.status": {backend.VerifyVerified, backend.VerifyMismatch, backend.VerifyUnsigned,
		backend.VerifyNoSecret, backend.VerifyNone},
	"TunnelStatus.provider": {tunnel.ProviderCloudflared, tunnel.ProviderNgrok, tunnel.ProviderManual, ""},
	"TunnelStatus.health": {tunnel.HealthReachable, tunnel.HealthUnreachable, tunnel.HealthURLChanged,
		tunnel.HealthUnknown, ""},
	"TunnelStatus.state":   {tunnel.StateOff, tunnel.StateStarting, tunnel.StateRunning, tunnel.StateFailed, ""},
	"TunnelStart.provider": {tunnel.ProviderCloudflared, tunnel.ProviderNgrok, tunnel.ProviderManual},
	"RegisterStep.outcome": {configapi.OutcomeRegistered, configapi.OutcomeKept, configapi.OutcomeRemoved,
		configapi.OutcomeEnabled, configapi.OutcomeFailed},
	"ReplayRequest.pace":  {replay.PaceFast, replay.PaceOriginal},
	"ReplayRecord.kind":   {backend.KindReplay, backend.KindForward},
	"Settings.theme":      {settings.ThemeSystem, settings.ThemeLight, settings.ThemeDark},
	"SettingsPatch.theme": {settings.ThemeSystem, settings.ThemeLight, settings.ThemeDark},
	"SettingsPatch.sync":  {string(backend.SyncAlways), string(backend.SyncOS)},
	"SyncView.policy":     {string(backend.SyncAlways), string(backend.SyncOS)},
	"SyncView.active":     {string(backend.SyncAlways), string(backend.SyncOS), ""},
	"SyncHealth.policy":   {string(backend.SyncAlways), string(backend.SyncOS)},
}

// nonNull are the slice, map and pointer fields (without omitempty) the API never sends as
// null: "Type.json_name". Every other such field is typed "| null".
var nonNull = map[string]bool{
	"DeliveryPage.items":         true,
	"DeliveryDetail.headers":     true,
	"DeliveryDetail.fields":      true,
	"CatalogList.vendors":        true,
	"Settings.secrets":           true,
	"ConversationPage.items":     true,
	"AgentPage.items":            true,
	"ConversationTimeline.items": true,
	"AgentTimeline.items":        true,
	"Conversation.threads":       true,
	"Conversation.participants":  true,
	"TimelineItem.actors":        true,
	"TimelineItem.checks":        true,
	"ImportResult.files":         true,
	"ImportedFile.duplicate_ids": true,
	"ImportedFile.warnings":      true,
	"ReplayRun.results":          true,
	"ReplayList.items":           true,
	"ScenarioList.scenarios":     true,
	"VendorList.vendors":         true,
	"SchemaView.versions":        true,
	"SchemaView.events":          true,
	"SchemaEvent.renamed_from":   true,
	"SchemaEvent.fields":         true,
	"SchemaField.enum":           true,
	"SchemaField.widened":        true,
	"VendorInfo.scenarios":       true,
}

// liveChatRegisterResult is the answer of POST /api/v1/registration/livechat/register: LiveChat's
// outcome with what the API adds.
type liveChatRegisterResult struct {
	configapi.RegisterResult
	api.RegisterAnswer
}
