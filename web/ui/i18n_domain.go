package ui

import (
	"strconv"
	"time"

	"github.com/motcua/motcua/catalog"
	"github.com/motcua/motcua/dossier"
	"github.com/motcua/motcua/identity"
	"github.com/motcua/motcua/pki"
	"github.com/motcua/motcua/printform"
	"github.com/motcua/motcua/registry"
	"github.com/motcua/motcua/wallet"
)

// The names of the domain's codes, keyed by the code: a dossier's status
// ("status.3"), an action ("action.receive"), a role ("role.leader"), a
// printed form ("printform.01"), a check of a signature ("check.chain"), a
// purpose of a look-up, a data-quality rule, a document's kind, a
// dataset. Their Vietnamese is the domain's own (Status.Name, ActionName,
// Role.Vietnamese…); the English is here. The other codes the pages name
// (levels, online levels, agency kinds, weekdays…) have no Vietnamese name
// in the domain: both texts are here.
//
// The …Key functions give the key of a code for T; a code the catalogue
// does not know gives the domain's own name, shown as is.

func statusKey(st int) string {
	return keyOr("status."+strconv.Itoa(st), dossier.Status(st).Name())
}

func actionKey(a dossier.Action) string {
	return keyOr("action."+string(a), dossier.ActionName(a))
}

// buttonKey is the key of an action's button on the dossier page: what the
// official does when it differs from the action's name in the history
// (the counter's "pay" records a fee received in cash, it pays nothing).
func buttonKey(a dossier.Action) string {
	if k := "button." + string(a); hasText(k) {
		return k
	}
	return actionKey(a)
}

func roleKey(r identity.Role) string { return keyOr("role."+string(r), r.Vietnamese()) }

func channelKey(c dossier.Channel) string {
	return keyOr("channel."+strconv.Itoa(int(c)), upperFirst(c.Name()))
}

func printformKey(number string) string {
	t, _ := printform.Title(number)
	return keyOr("printform."+number, t)
}

func checkKey(c pki.NamedCheck) string { return keyOr("check."+c.Key, c.Title) }

func purposeKey(p registry.Purpose) string {
	return keyOr("purpose."+string(p), registry.PurposeName(p))
}

func ruleKey(r registry.Rule) string { return keyOr("quality_rule."+string(r), registry.RuleName(r)) }

func documentKindKey(k wallet.Kind) string {
	return keyOr("document_kind."+string(k), wallet.KindName(k))
}

// datasetKey is the key of a dataset's name; a dataset without English
// shows its Vietnamese name (or its code, when it is not built in).
func datasetKey(code string) string {
	name := code
	for _, ds := range registry.Builtin() {
		if ds.Code == code {
			name = ds.Name
		}
	}
	return keyOr("dataset."+code, name)
}

func levelKey(l catalog.Level) string {
	if l == catalog.LevelCommune {
		return "level.commune"
	}
	return "level.province"
}

func onlineKey(o catalog.OnlineLevel) string {
	switch o {
	case catalog.OnlineFull:
		return "online.full"
	case catalog.OnlinePartial:
		return "online.partial"
	}
	return "online.none"
}

func componentFormKey(f catalog.ComponentForm) string {
	switch f {
	case catalog.FormOriginal:
		return "component_form.original"
	case catalog.FormCopy:
		return "component_form.copy"
	}
	return "component_form.either"
}

func weekdayKey(d time.Weekday) string {
	return "weekday." + [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}[d]
}

// The English of the domain's names, by code.
var (
	statusEnglish = map[dossier.Status]string{
		dossier.StatusNew:        "Registered",
		dossier.StatusReceived:   "Received",
		dossier.StatusRefused:    "Not accepted",
		dossier.StatusProcessing: "Being processed",
		dossier.StatusSupplement: "Supplement requested",
		dossier.StatusPayment:    "Payment requested",
		dossier.StatusWithdrawn:  "Withdrawn by the applicant",
		// As the pages have shown it: the action "dừng xử lý", capitalized,
		// had the same Vietnamese; meant is "Processing stopped".
		dossier.StatusStopped:  "Stop processing",
		dossier.StatusDone:     "Processed",
		dossier.StatusReturned: "Result returned",
	}
	actionEnglish = map[dossier.Action]string{
		dossier.ActSubmit: "submit", dossier.ActReceive: "receive", dossier.ActRefuse: "refuse", dossier.ActRequestSupplement: "request a supplement",
		dossier.ActSupplement: "supplement", dossier.ActClaim: "take over", dossier.ActAssign: "assign", dossier.ActCompleteStep: "complete the step",
		dossier.ActSendBack: "send back to the previous step", dossier.ActRequestPayment: "request payment", dossier.ActPay: "pay", dossier.ActWithdraw: "withdraw",
		dossier.ActFeeExemption: "check the fee exemption claim", dossier.ActExtendForVerification: "extend the time limit for verification",
		dossier.ActStop: "stop processing", dossier.ActApologize: "apologise and set a new date", dossier.ActReturn: "return the result",
	}
	roleEnglish = map[identity.Role]string{
		identity.RoleReceiver: "Counter officer (one-stop)", identity.RoleSpecialist: "Case specialist", identity.RoleLeader: "Leader",
		identity.RoleClerk: "Clerk", identity.RoleAdmin: "System administrator", identity.RoleViewer: "Report viewer",
		identity.RoleNationalPortal: "National public service portal (system)",
	}
	channelEnglish = map[dossier.Channel]string{
		dossier.ChannelInPerson: "In person", dossier.ChannelOnline: "Online", dossier.ChannelPost: "By public postal service",
	}
	printformEnglish = map[string]string{
		"01": "Receipt and appointment",
		"02": "Request to supplement the dossier",
		"03": "Refusal to receive the dossier",
		"04": "Apology and new appointment",
		"05": "Notice of stopped handling",
		"06": "Process-control slip",
		"07": "Dossier register",
	}
	checkEnglish = map[string]string{
		"coverage": "Signed range", "integrity": "Integrity", "signature": "Digital signature",
		"chain": "Certificate chain", "validity": "Certificate validity", "revocation": "Revocation",
	}
	purposeEnglish = map[registry.Purpose]string{
		registry.PurposePrefill: "Prefill a form", registry.PurposeReplace: "Replace a component by data", registry.PurposeAppraisal: "Appraise a dossier",
		registry.PurposeWriteBack: "Write back a result", registry.PurposeQuality: "Check data quality", registry.PurposeExchange: "Share with another system",
	}
	ruleEnglish = map[registry.Rule]string{
		registry.Correct: "Correct", registry.Complete: "Complete", registry.Clean: "Clean", registry.Live: "Live", registry.Unified: "Unified",
	}
	documentKindEnglish = map[wallet.Kind]string{
		wallet.KindResult: "Electronic result", wallet.KindDigitized: "Digitized result", wallet.KindUpload: "Document handed in",
	}
	// Only these datasets' names have an English; the others show their
	// Vietnamese name in both languages.
	datasetEnglish = map[string]string{
		registry.Population:  "National population database",
		registry.CivilStatus: "Electronic civil-status database",
	}
)

func init() {
	m := map[string]text{}
	for st, en := range statusEnglish {
		m["status."+strconv.Itoa(int(st))] = text{st.Name(), en}
	}
	for a, en := range actionEnglish {
		m["action."+string(a)] = text{dossier.ActionName(a), en}
	}
	for r, en := range roleEnglish {
		m["role."+string(r)] = text{r.Vietnamese(), en}
	}
	for c, en := range channelEnglish {
		m["channel."+strconv.Itoa(int(c))] = text{upperFirst(c.Name()), en}
	}
	for n, en := range printformEnglish {
		t, _ := printform.Title(n)
		m["printform."+n] = text{t, en}
	}
	for _, c := range (pki.Report{}).Checks() {
		m["check."+c.Key] = text{c.Title, checkEnglish[c.Key]}
	}
	for p, en := range purposeEnglish {
		m["purpose."+string(p)] = text{registry.PurposeName(p), en}
	}
	for r, en := range ruleEnglish {
		m["quality_rule."+string(r)] = text{registry.RuleName(r), en}
	}
	for k, en := range documentKindEnglish {
		m["document_kind."+string(k)] = text{wallet.KindName(k), en}
	}
	for _, ds := range registry.Builtin() {
		if en, ok := datasetEnglish[ds.Code]; ok {
			m["dataset."+ds.Code] = text{ds.Name, en}
		}
	}
	addTexts(m)
	addTexts(map[string]text{
		"level.commune":  {"Cấp xã", "Commune level"},
		"level.province": {"Cấp tỉnh", "Province level"},

		"online.full":    {"Toàn trình", "Fully online"},
		"online.partial": {"Một phần", "Partly online"},
		"online.none":    {"Không", "No"},

		"component_form.either":   {"Bản chính hoặc bản sao", "Original or copy"},
		"component_form.original": {"Bản chính", "Original"},
		"component_form.copy":     {"Bản sao", "Copy"},

		"supplement_rule.restart": {"Tính lại từ đầu khi bổ sung", "Restart the clock on supplement"},
		"supplement_rule.pause":   {"Tạm dừng, tính tiếp khi bổ sung", "Pause the clock, resume on supplement"},

		"applicant_type.citizen":      {"Công dân", "Citizen"},
		"applicant_type.enterprise":   {"Doanh nghiệp", "Enterprise"},
		"applicant_type.agency":       {"Cơ quan nhà nước", "State agency"},
		"applicant_type.organisation": {"Tổ chức khác", "Other organisation"},

		// The fields of a procedure that may be marked provisional.
		"procedure_field.code":              {"Mã thủ tục", "Procedure code"},
		"procedure_field.name":              {"Tên thủ tục", "Procedure"},
		"procedure_field.field":             {"Lĩnh vực", "Field"},
		"procedure_field.processing_time":   {"Thời hạn giải quyết", "Processing time"},
		"procedure_field.verification_time": {"Thời hạn khi cần xác minh", "Time limit when verification is needed"},
		"procedure_field.fees":              {"Phí, lệ phí", "Fees and charges"},
		"procedure_field.legal_basis":       {"Căn cứ pháp lý", "Legal basis"},
		"procedure_field.components":        {"Thành phần hồ sơ", "Dossier components"},
		"procedure_field.workflow":          {"Quy trình", "Workflow"},
		"procedure_field.online_level":      {"Mức độ trực tuyến", "Online level"},
		"procedure_field.agency_kind":       {"Cơ quan có thẩm quyền", "Competent agency"},

		"account_kind.official":   {"Cán bộ", "Official"},
		"account_kind.citizen":    {"Công dân", "Citizen"},
		"account_kind.enterprise": {"Doanh nghiệp", "Enterprise"},

		"agency_kind.province_committee": {"UBND tỉnh", "Provincial People's Committee"},
		"agency_kind.service_centre":     {"Trung tâm Phục vụ hành chính công", "Public Administrative Service Centre"},
		"agency_kind.department":         {"Sở, ban, ngành", "Department"},
		"agency_kind.commune_committee":  {"UBND xã, phường, đặc khu", "Commune People's Committee"},
		"agency_kind.police":             {"Công an", "Police"},
		"agency_kind.social_insurance":   {"Bảo hiểm xã hội", "Social insurance"},

		"weekday.sunday":    {"Chủ nhật", "Sunday"},
		"weekday.monday":    {"Thứ Hai", "Monday"},
		"weekday.tuesday":   {"Thứ Ba", "Tuesday"},
		"weekday.wednesday": {"Thứ Tư", "Wednesday"},
		"weekday.thursday":  {"Thứ Năm", "Thursday"},
		"weekday.friday":    {"Thứ Sáu", "Friday"},
		"weekday.saturday":  {"Thứ Bảy", "Saturday"},

		// The kinds of a day off (calendar.Holiday.Kind).
		"holiday_kind.rule":     {"Nghỉ lễ, Tết theo Bộ luật Lao động", "Public holiday (Labour Code)"},
		"holiday_kind.makeup":   {"Nghỉ bù", "Day in lieu"},
		"holiday_kind.schedule": {"Theo lịch nghỉ chính thức", "Official schedule"},
	})
}
