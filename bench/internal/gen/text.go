package gen

var firstNames = []string{"Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas",
	"Klara", "Leon", "Maja", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Sami", "Tara"}

var lastNames = []string{"Smith", "Jones", "Martin", "Bernard", "Dubois", "Schmidt", "Novak", "Rossi", "Garcia",
	"Kowalski", "Nielsen", "Jansen"}

var tags = []string{"bug_report", "billing", "shipping", "refund", "vip", "complaint", "feedback", "sales"}

// customerLines are things customers write in support chats.
var customerLines = []string{
	"Hello, I ordered a blue jacket (order #ORDER) last week and the tracking page still says processing.",
	"Can you check what is going on with my parcel?",
	"I paid for express shipping because I need it before Friday.",
	"The size is wrong, I would like to exchange it for a medium.",
	"How long does a refund usually take to show up on my card?",
	"I was charged twice for the same order, order #ORDER.",
	"The discount code WINTER20 does not work at checkout.",
	"Is the black version back in stock soon?",
	"My account email changed, can you update it on the order?",
	"The courier left the parcel at the wrong address.",
	"Thanks, that was quick!",
	"Can I still cancel order #ORDER?",
	"The app keeps logging me out when I open the basket.",
	"Do you ship to Switzerland, and are there customs fees?",
	"I never received the confirmation email.",
	"The zipper broke after two days, I want a replacement.",
	"Could you send me an invoice with my company VAT number?",
	"Where can I find the return label?",
	"I'd like to speak to someone about a warranty claim.",
	"Perfect, have a nice day.",
}

// agentLines are answers agents give.
var agentLines = []string{
	"Hi, thanks for reaching out, let me check that for you.",
	"I can see order #ORDER left our warehouse yesterday.",
	"I have escalated this to the warehouse team.",
	"The refund was issued today and should appear within 5 business days.",
	"I have sent you a new return label by email.",
	"Sorry about the trouble, I applied a 10 percent voucher to your account.",
	"Could you confirm the delivery address for me?",
	"The express fee has been cancelled.",
	"A replacement is on its way, you will get a tracking link shortly.",
	"Is there anything else I can help you with?",
	"I'm transferring you to our billing team, one moment please.",
	"The discount code expired on Sunday, I have created a new one for you.",
	"Your invoice with the VAT number is attached to the order now.",
	"We ship to Switzerland; customs fees are included at checkout.",
}
