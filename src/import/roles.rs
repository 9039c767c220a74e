//! Column roles: what a column means to Turnout, found from its header (English and German)
//! or, when the header says nothing, from its values.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::timestamp::{self, DateShape};

/// What a column means. The snake-case names are used by the CLI (`--map ROLE=HEADER`),
/// the JSON report and project files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Role {
    /// When the registration was made (or its date, paired with `registered_time`).
    RegisteredAt,
    /// Time of day of the registration when the export writes it apart (pretix).
    RegisteredTime,
    RegistrantId,
    OrderId,
    /// Tickets on the row; 4 means four registrations.
    Quantity,
    /// Extra people on one RSVP (Meetup's `Guests`): the row counts 1 + guests.
    Guests,
    TicketType,
    Price,
    Status,
    /// Whether (or when) the person checked in.
    CheckedIn,
    Email,
    FirstName,
    LastName,
    Name,
    Phone,
    PostalCode,
    City,
    Region,
    Country,
    Source,
    Ip,
    UserAgent,
    HoldExpiresAt,
    /// When the event (appointment, reservation, session) the row books starts. Three columns
    /// mean year, month and day apart (hotel logs' `arrival_date_year`, `…_month`, `…_day`).
    EventAt,
    /// When the registration was cancelled or refunded (on rows whose status is not cancelled
    /// it is a status date and is ignored).
    CancelledAt,
    /// What splits one day's rows into several events: a location, room, neighbourhood,
    /// restaurant. Chosen by the user (`--by`), never guessed.
    Group,
    /// Days between the booking and the event, for logs that give that instead of a booking
    /// time (hotel `lead_time`): the booking time is the event time minus these days.
    LeadDays,
    /// Whether the host added the row by hand or by import (Hi.Events' `Is Manually
    /// Created`): such rows are not signups.
    AddedByHost,
    /// The zone of the registration time when the export writes it in a column of its own
    /// (`Data, Hora, Fuso horário`: `29-06-2015`, `09:15:43`, `BRT`). Used only with a
    /// date and time written apart.
    RegisteredZone,
}

impl Role {
    pub const ALL: [Role; 29] = [
        Role::RegisteredAt,
        Role::RegisteredTime,
        Role::RegistrantId,
        Role::OrderId,
        Role::Quantity,
        Role::Guests,
        Role::TicketType,
        Role::Price,
        Role::Status,
        Role::CheckedIn,
        Role::Email,
        Role::FirstName,
        Role::LastName,
        Role::Name,
        Role::Phone,
        Role::PostalCode,
        Role::City,
        Role::Region,
        Role::Country,
        Role::Source,
        Role::Ip,
        Role::UserAgent,
        Role::HoldExpiresAt,
        Role::EventAt,
        Role::CancelledAt,
        Role::Group,
        Role::LeadDays,
        Role::AddedByHost,
        Role::RegisteredZone,
    ];
    pub const COUNT: usize = Role::ALL.len();

    pub fn name(self) -> &'static str {
        match self {
            Role::RegisteredAt => "registered_at",
            Role::RegisteredTime => "registered_time",
            Role::RegistrantId => "registrant_id",
            Role::OrderId => "order_id",
            Role::Quantity => "quantity",
            Role::Guests => "guests",
            Role::TicketType => "ticket_type",
            Role::Price => "price",
            Role::Status => "status",
            Role::CheckedIn => "checked_in",
            Role::Email => "email",
            Role::FirstName => "first_name",
            Role::LastName => "last_name",
            Role::Name => "name",
            Role::Phone => "phone",
            Role::PostalCode => "postal_code",
            Role::City => "city",
            Role::Region => "region",
            Role::Country => "country",
            Role::Source => "source",
            Role::Ip => "ip",
            Role::UserAgent => "user_agent",
            Role::HoldExpiresAt => "hold_expires_at",
            Role::EventAt => "event_at",
            Role::CancelledAt => "cancelled_at",
            Role::Group => "group",
            Role::LeadDays => "lead_days",
            Role::AddedByHost => "added_by_host",
            Role::RegisteredZone => "registered_zone",
        }
    }

    /// What the role means, in words for the import review.
    pub fn label(self) -> &'static str {
        match self {
            Role::RegisteredAt => "Registration time",
            Role::RegisteredTime => "Registration time of day",
            Role::RegistrantId => "Registrant ID",
            Role::OrderId => "Order number",
            Role::Quantity => "Tickets on the row",
            Role::Guests => "Guests (plus-ones)",
            Role::TicketType => "Ticket type",
            Role::Price => "Price",
            Role::Status => "Status",
            Role::CheckedIn => "Came (check-in)",
            Role::Email => "E-mail",
            Role::FirstName => "First name",
            Role::LastName => "Last name",
            Role::Name => "Name",
            Role::Phone => "Phone",
            Role::PostalCode => "Postal code",
            Role::City => "City",
            Role::Region => "Region or state",
            Role::Country => "Country",
            Role::Source => "Source",
            Role::Ip => "IP address",
            Role::UserAgent => "Browser",
            Role::HoldExpiresAt => "Hold expires",
            Role::EventAt => "Event date and time",
            Role::CancelledAt => "Cancelled at",
            Role::Group => "Event group (location, room…)",
            Role::LeadDays => "Days booked ahead",
            Role::AddedByHost => "Added by the host",
            Role::RegisteredZone => "Time zone of the registration time",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name.trim())
    }

    /// Roles that may take values from more than one column, first non-empty wins
    /// (pretix's attendee e-mail falling back to the order's e-mail).
    fn takes_fallbacks(self) -> bool {
        matches!(
            self,
            Role::Email | Role::Name | Role::CheckedIn | Role::Phone | Role::TicketType
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lower-cases, drops parenthesized notes, BOMs and punctuation so that `Has Arrived (YES/NO)`,
/// `has_arrived` and `Has arrived:` compare equal.
pub fn normalize_header(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    let mut depth = 0u32;
    for ch in h.trim_start_matches('\u{feff}').chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '_' | '-' | '.' | ':' | '?' | '\u{a0}' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// (normalized header, role, priority): the higher priority wins when several columns match.
const HEADERS: &[(&str, Role, u8)] = &[
    // registered_at
    ("registration time", Role::RegisteredAt, 10),
    ("registration date", Role::RegisteredAt, 10),
    ("time of registration", Role::RegisteredAt, 10),
    ("registered at", Role::RegisteredAt, 10),
    ("registered on", Role::RegisteredAt, 10),
    ("date registered", Role::RegisteredAt, 10),
    ("signup date", Role::RegisteredAt, 10),
    ("sign up date", Role::RegisteredAt, 10),
    ("signed up at", Role::RegisteredAt, 10),
    ("registrierungszeit", Role::RegisteredAt, 10),
    ("registrierungsdatum", Role::RegisteredAt, 10),
    ("anmeldedatum", Role::RegisteredAt, 10),
    ("anmeldezeitpunkt", Role::RegisteredAt, 10),
    ("angemeldet am", Role::RegisteredAt, 10),
    ("created at", Role::RegisteredAt, 9),
    ("created date", Role::RegisteredAt, 9),
    ("timestamp", Role::RegisteredAt, 9),
    ("zeitstempel", Role::RegisteredAt, 9),
    ("purchase date", Role::RegisteredAt, 9),
    ("kaufdatum", Role::RegisteredAt, 9),
    ("rsvped on", Role::RegisteredAt, 9),
    ("rsvp date", Role::RegisteredAt, 9),
    ("booking date", Role::RegisteredAt, 9),
    ("booked", Role::RegisteredAt, 8),
    ("booked at", Role::RegisteredAt, 9),
    ("buchungsdatum", Role::RegisteredAt, 9),
    ("gebucht am", Role::RegisteredAt, 9),
    ("reservation date", Role::RegisteredAt, 9),
    ("reservation time", Role::RegisteredAt, 9),
    ("reservierungsdatum", Role::RegisteredAt, 9),
    ("order date", Role::RegisteredAt, 8),
    ("bestelldatum", Role::RegisteredAt, 8),
    ("order created", Role::RegisteredAt, 8),
    ("date created", Role::RegisteredAt, 8),
    ("creation date", Role::RegisteredAt, 8),
    ("erstellungsdatum", Role::RegisteredAt, 8),
    ("erstellt am", Role::RegisteredAt, 8),
    ("submitted at", Role::RegisteredAt, 8),
    ("submission date", Role::RegisteredAt, 8),
    ("held at", Role::RegisteredAt, 7),
    ("created", Role::RegisteredAt, 7),
    ("erstellt", Role::RegisteredAt, 7),
    ("scheduledday", Role::RegisteredAt, 9),
    ("scheduled day", Role::RegisteredAt, 9),
    ("booked on", Role::RegisteredAt, 9),
    ("date booked", Role::RegisteredAt, 9),
    ("booking time", Role::RegisteredAt, 9),
    ("reserve datetime", Role::RegisteredAt, 9),
    ("reserved at", Role::RegisteredAt, 8),
    ("reservation made", Role::RegisteredAt, 9),
    ("date", Role::RegisteredAt, 3),
    ("datum", Role::RegisteredAt, 3),
    ("time", Role::RegisteredAt, 2),
    // registered_time
    ("order time", Role::RegisteredTime, 8),
    ("bestelluhrzeit", Role::RegisteredTime, 8),
    ("uhrzeit", Role::RegisteredTime, 5),
    // ids
    ("attendee #", Role::RegistrantId, 9),
    ("attendee no", Role::RegistrantId, 9),
    ("attendee id", Role::RegistrantId, 9),
    ("attendee number", Role::RegistrantId, 9),
    ("teilnehmernummer", Role::RegistrantId, 9),
    ("teilnehmer nr", Role::RegistrantId, 9),
    ("registration id", Role::RegistrantId, 9),
    ("guest id", Role::RegistrantId, 9),
    ("api id", Role::RegistrantId, 8),
    ("position id", Role::RegistrantId, 8),
    ("ticket reference", Role::RegistrantId, 8),
    ("ticket id", Role::RegistrantId, 8),
    ("ticket number", Role::RegistrantId, 7),
    ("ticketnummer", Role::RegistrantId, 7),
    ("member id", Role::RegistrantId, 6),
    ("patientid", Role::RegistrantId, 7),
    ("patient id", Role::RegistrantId, 7),
    ("customer id", Role::RegistrantId, 6),
    ("user id", Role::RegistrantId, 6),
    ("id", Role::RegistrantId, 5),
    ("order #", Role::OrderId, 9),
    ("order no", Role::OrderId, 9),
    ("order number", Role::OrderId, 9),
    ("order code", Role::OrderId, 9),
    ("order id", Role::OrderId, 9),
    ("order reference", Role::OrderId, 9),
    ("bestellnr", Role::OrderId, 9),
    ("bestellnummer", Role::OrderId, 9),
    ("reservationid", Role::OrderId, 8),
    ("reservation id", Role::OrderId, 8),
    ("booking id", Role::OrderId, 8),
    ("booking reference", Role::OrderId, 8),
    ("buchungsnummer", Role::OrderId, 8),
    ("confirmation number", Role::OrderId, 7),
    // counts
    ("quantity", Role::Quantity, 9),
    ("qty", Role::Quantity, 9),
    ("anzahl", Role::Quantity, 9),
    ("number of tickets", Role::Quantity, 9),
    ("ticket quantity", Role::Quantity, 9),
    ("anzahl tickets", Role::Quantity, 9),
    ("menge", Role::Quantity, 8),
    ("party size", Role::Quantity, 8),
    // Restaurant reservation systems: the people a booking is for.
    ("reserve visitors", Role::Quantity, 9),
    ("number of guests", Role::Quantity, 8),
    ("number of people", Role::Quantity, 8),
    ("group size", Role::Quantity, 7),
    ("pax", Role::Quantity, 6),
    ("anzahl personen", Role::Quantity, 8),
    ("personen", Role::Quantity, 7),
    ("persons", Role::Quantity, 7),
    ("people", Role::Quantity, 6),
    ("tickets", Role::Quantity, 6),
    ("covers", Role::Quantity, 6),
    ("seats", Role::Quantity, 5),
    ("positions", Role::Quantity, 5),
    ("positionen", Role::Quantity, 5),
    ("guests", Role::Guests, 8),
    ("gäste", Role::Guests, 8),
    ("plus ones", Role::Guests, 7),
    ("begleitpersonen", Role::Guests, 7),
    // ticket type
    ("ticket type", Role::TicketType, 9),
    ("ticketart", Role::TicketType, 9),
    ("tickettyp", Role::TicketType, 9),
    ("ticket name", Role::TicketType, 9),
    ("ticket title", Role::TicketType, 9),
    ("ticket category", Role::TicketType, 8),
    ("ticketkategorie", Role::TicketType, 8),
    ("product name", Role::TicketType, 8),
    ("product", Role::TicketType, 7),
    ("produkt", Role::TicketType, 7),
    ("category", Role::TicketType, 6),
    ("kategorie", Role::TicketType, 6),
    ("ticket tier", Role::TicketType, 6),
    ("room type", Role::TicketType, 6),
    ("item", Role::TicketType, 6),
    ("artikel", Role::TicketType, 6),
    ("ticket", Role::TicketType, 5),
    ("price tier", Role::TicketType, 4),
    // price
    ("total paid", Role::Price, 9),
    ("amount paid", Role::Price, 9),
    ("order total", Role::Price, 8),
    ("gesamtbetrag", Role::Price, 8),
    ("total gross", Role::Price, 8),
    ("paidprice", Role::Price, 8),
    ("paid price", Role::Price, 8),
    ("ticket price", Role::Price, 8),
    ("ticketpreis", Role::Price, 8),
    ("price", Role::Price, 7),
    ("preis", Role::Price, 7),
    ("total amount", Role::Price, 7),
    ("amount", Role::Price, 6),
    ("betrag", Role::Price, 6),
    ("total", Role::Price, 4),
    // status
    ("attendee status", Role::Status, 9),
    ("teilnehmerstatus", Role::Status, 9),
    ("approval status", Role::Status, 9),
    ("registration state", Role::Status, 9),
    ("registration status", Role::Status, 9),
    ("anmeldestatus", Role::Status, 9),
    ("rsvp", Role::Status, 8),
    ("order status", Role::Status, 8),
    ("bestellstatus", Role::Status, 8),
    ("ticket status", Role::Status, 8),
    ("reservation status", Role::Status, 8),
    ("booking status", Role::Status, 8),
    ("hold status", Role::Status, 8),
    ("action", Role::Status, 6),
    ("status", Role::Status, 7),
    ("order cancelled", Role::Status, 6),
    ("cancelled", Role::Status, 5),
    ("storniert", Role::Status, 5),
    ("payment status", Role::Status, 4),
    ("zahlungsstatus", Role::Status, 4),
    // checked in
    ("checked in at", Role::CheckedIn, 10),
    ("check in time", Role::CheckedIn, 10),
    ("eingecheckt am", Role::CheckedIn, 10),
    ("is checked in", Role::CheckedIn, 9),
    ("check in date", Role::CheckedIn, 9),
    ("arrival time", Role::CheckedIn, 9),
    ("checked in", Role::CheckedIn, 8),
    ("checkin date", Role::CheckedIn, 9),
    ("checkin time", Role::CheckedIn, 9),
    ("checkin", Role::CheckedIn, 8),
    ("check in", Role::CheckedIn, 8),
    ("has arrived", Role::CheckedIn, 8),
    ("attended", Role::CheckedIn, 8),
    ("showed up", Role::CheckedIn, 8),
    ("eingecheckt", Role::CheckedIn, 8),
    ("erschienen", Role::CheckedIn, 8),
    ("attendance", Role::CheckedIn, 7),
    ("anwesend", Role::CheckedIn, 7),
    ("came", Role::CheckedIn, 7),
    // identity
    ("attendee email", Role::Email, 9),
    ("attendee e mail", Role::Email, 9),
    ("e mail teilnehmer*in", Role::Email, 9),
    ("guest email", Role::Email, 9),
    ("user email", Role::Email, 8),
    ("participant email", Role::Email, 9),
    ("registrant email", Role::Email, 9),
    ("email", Role::Email, 8),
    ("e mail", Role::Email, 8),
    ("email address", Role::Email, 8),
    ("e mail address", Role::Email, 8),
    ("e mail adresse", Role::Email, 8),
    ("emailadresse", Role::Email, 8),
    ("contact email", Role::Email, 6),
    ("customer email", Role::Email, 7),
    ("buyer email", Role::Email, 6),
    ("mail", Role::Email, 5),
    ("attendee first name", Role::FirstName, 9),
    ("first name", Role::FirstName, 8),
    ("firstname", Role::FirstName, 8),
    ("vorname", Role::FirstName, 8),
    ("given name", Role::FirstName, 8),
    ("attendee last name", Role::LastName, 9),
    ("last name", Role::LastName, 8),
    ("lastname", Role::LastName, 8),
    ("nachname", Role::LastName, 8),
    ("surname", Role::LastName, 8),
    ("family name", Role::LastName, 8),
    ("familienname", Role::LastName, 8),
    ("attendee name", Role::Name, 9),
    ("name teilnehmer*in", Role::Name, 9),
    ("teilnehmer name", Role::Name, 9),
    ("guest name", Role::Name, 9),
    ("full name", Role::Name, 8),
    ("user name", Role::Name, 7),
    ("name", Role::Name, 6),
    ("teilnehmer", Role::Name, 6),
    ("customer name", Role::Name, 6),
    ("buyer name", Role::Name, 6),
    ("gast", Role::Name, 5),
    ("guest", Role::Name, 5),
    ("your name", Role::Name, 6),
    ("ihr name", Role::Name, 6),
    ("phone number", Role::Phone, 8),
    ("cell phone", Role::Phone, 8),
    ("mobile number", Role::Phone, 8),
    ("telefonnummer", Role::Phone, 8),
    ("phone", Role::Phone, 7),
    ("mobile", Role::Phone, 7),
    ("telefon", Role::Phone, 7),
    ("handynummer", Role::Phone, 7),
    ("mobilnummer", Role::Phone, 7),
    ("handy", Role::Phone, 6),
    ("home phone", Role::Phone, 6),
    ("work phone", Role::Phone, 5),
    // place
    ("home zip", Role::PostalCode, 9),
    ("zip", Role::PostalCode, 8),
    ("zip code", Role::PostalCode, 8),
    ("zipcode", Role::PostalCode, 8),
    ("postal code", Role::PostalCode, 8),
    ("postcode", Role::PostalCode, 8),
    ("plz", Role::PostalCode, 8),
    ("postleitzahl", Role::PostalCode, 8),
    ("postal", Role::PostalCode, 6),
    ("home city", Role::City, 9),
    ("city", Role::City, 8),
    ("stadt", Role::City, 8),
    ("ort", Role::City, 8),
    ("wohnort", Role::City, 8),
    ("town", Role::City, 6),
    ("home state", Role::Region, 9),
    ("region", Role::Region, 8),
    ("province", Role::Region, 8),
    ("state/province", Role::Region, 8),
    ("bundesland", Role::Region, 8),
    ("state", Role::Region, 6),
    ("county", Role::Region, 4),
    ("home country", Role::Country, 9),
    ("country/region name", Role::Country, 9),
    ("country", Role::Country, 8),
    ("country/region", Role::Country, 8),
    ("country code", Role::Country, 7),
    ("countrycode", Role::Country, 7),
    ("land", Role::Country, 7),
    // source and technical
    ("utm source", Role::Source, 9),
    ("custom source", Role::Source, 8),
    ("traffic source", Role::Source, 8),
    ("source", Role::Source, 7),
    ("quelle", Role::Source, 7),
    ("referrer", Role::Source, 6),
    ("sales channel", Role::Source, 6),
    ("verkaufskanal", Role::Source, 6),
    ("channel", Role::Source, 5),
    ("ip address", Role::Ip, 9),
    ("ip adresse", Role::Ip, 9),
    ("ipaddress", Role::Ip, 9),
    ("client ip", Role::Ip, 8),
    ("ip", Role::Ip, 8),
    ("is manually created", Role::AddedByHost, 9),
    ("manually created", Role::AddedByHost, 9),
    ("manually added", Role::AddedByHost, 9),
    ("added manually", Role::AddedByHost, 9),
    ("added by host", Role::AddedByHost, 9),
    ("manuell angelegt", Role::AddedByHost, 9),
    ("manuell erstellt", Role::AddedByHost, 9),
    ("user agent", Role::UserAgent, 9),
    ("useragent", Role::UserAgent, 9),
    ("browser", Role::UserAgent, 6),
    // holds
    ("reserved until", Role::HoldExpiresAt, 10),
    ("reserviert bis", Role::HoldExpiresAt, 10),
    ("hold expires at", Role::HoldExpiresAt, 9),
    ("hold expires", Role::HoldExpiresAt, 9),
    ("hold until", Role::HoldExpiresAt, 9),
    ("cart expires", Role::HoldExpiresAt, 9),
    ("expires at", Role::HoldExpiresAt, 9),
    ("expires", Role::HoldExpiresAt, 7),
    ("expiry", Role::HoldExpiresAt, 7),
    ("expiration", Role::HoldExpiresAt, 7),
    ("expiration date", Role::HoldExpiresAt, 7),
    ("ablaufdatum", Role::HoldExpiresAt, 7),
    // when the booked event starts (appointment books, Hi.Events' occurrence date)
    ("occurrence date", Role::EventAt, 9),
    ("event start", Role::EventAt, 9),
    ("event date", Role::EventAt, 8),
    ("event time", Role::EventAt, 8),
    ("date of event", Role::EventAt, 8),
    ("appointment", Role::EventAt, 8),
    ("appointment time", Role::EventAt, 9),
    ("appointment date", Role::EventAt, 9),
    ("reservation time", Role::EventAt, 9),
    ("reservation date", Role::EventAt, 8),
    ("reserved for", Role::EventAt, 8),
    ("session start", Role::EventAt, 8),
    ("visit date", Role::EventAt, 7),
    ("arrival date", Role::EventAt, 7),
    ("veranstaltungsdatum", Role::EventAt, 8),
    ("termin", Role::EventAt, 7),
    ("appointmentday", Role::EventAt, 9),
    ("appointment day", Role::EventAt, 9),
    ("date of appointment", Role::EventAt, 9),
    ("visit datetime", Role::EventAt, 8),
    ("visit time", Role::EventAt, 8),
    ("arrival", Role::EventAt, 6),
    ("session date", Role::EventAt, 8),
    ("class date", Role::EventAt, 8),
    ("event day", Role::EventAt, 8),
    ("terminzeit", Role::EventAt, 8),
    // cancellations
    ("cancelled at", Role::CancelledAt, 10),
    ("canceled at", Role::CancelledAt, 10),
    ("cancelled on", Role::CancelledAt, 10),
    ("canceled on", Role::CancelledAt, 10),
    ("cancellation date", Role::CancelledAt, 10),
    ("cancellation time", Role::CancelledAt, 10),
    ("date cancelled", Role::CancelledAt, 10),
    ("date canceled", Role::CancelledAt, 10),
    ("refunded at", Role::CancelledAt, 9),
    ("refund date", Role::CancelledAt, 9),
    ("storniert am", Role::CancelledAt, 10),
    ("stornierungsdatum", Role::CancelledAt, 10),
    ("reservation status date", Role::CancelledAt, 7),
    // Portuguese, Spanish, French, Italian, Dutch
    ("data da compra", Role::RegisteredAt, 9),
    ("data de compra", Role::RegisteredAt, 9),
    ("data do pedido", Role::RegisteredAt, 8),
    ("data de inscrição", Role::RegisteredAt, 10),
    ("data da inscrição", Role::RegisteredAt, 10),
    ("data de cadastro", Role::RegisteredAt, 9),
    ("data de criação", Role::RegisteredAt, 8),
    ("fecha de registro", Role::RegisteredAt, 10),
    ("fecha de inscripción", Role::RegisteredAt, 10),
    ("fecha de compra", Role::RegisteredAt, 9),
    ("fecha del pedido", Role::RegisteredAt, 8),
    ("fecha de creación", Role::RegisteredAt, 8),
    ("date d'inscription", Role::RegisteredAt, 10),
    ("date de commande", Role::RegisteredAt, 9),
    ("date d'achat", Role::RegisteredAt, 9),
    ("date de création", Role::RegisteredAt, 8),
    ("data di registrazione", Role::RegisteredAt, 10),
    ("data di iscrizione", Role::RegisteredAt, 10),
    ("data dell'ordine", Role::RegisteredAt, 9),
    ("data ordine", Role::RegisteredAt, 9),
    ("data acquisto", Role::RegisteredAt, 9),
    ("aanmelddatum", Role::RegisteredAt, 10),
    ("inschrijfdatum", Role::RegisteredAt, 10),
    ("registratiedatum", Role::RegisteredAt, 10),
    ("besteldatum", Role::RegisteredAt, 9),
    ("aankoopdatum", Role::RegisteredAt, 9),
    ("data", Role::RegisteredAt, 3),
    ("fecha", Role::RegisteredAt, 3),
    ("datum tijd", Role::RegisteredAt, 3),
    ("hora", Role::RegisteredTime, 5),
    ("hora da compra", Role::RegisteredTime, 8),
    ("hora de compra", Role::RegisteredTime, 8),
    ("heure", Role::RegisteredTime, 5),
    ("ora", Role::RegisteredTime, 5),
    ("tijd", Role::RegisteredTime, 5),
    ("fuso horário", Role::RegisteredZone, 8),
    ("fuso horario", Role::RegisteredZone, 8),
    ("zona horaria", Role::RegisteredZone, 8),
    ("fuseau horaire", Role::RegisteredZone, 8),
    ("fuso orario", Role::RegisteredZone, 8),
    ("tijdzone", Role::RegisteredZone, 8),
    ("zeitzone", Role::RegisteredZone, 8),
    ("time zone", Role::RegisteredZone, 6),
    ("timezone", Role::RegisteredZone, 6),
    ("estado", Role::Status, 6),
    ("situação", Role::Status, 7),
    ("status do pedido", Role::Status, 8),
    ("status da inscrição", Role::Status, 9),
    ("estado del pedido", Role::Status, 8),
    ("estado de la inscripción", Role::Status, 9),
    ("statut", Role::Status, 7),
    ("statut de la commande", Role::Status, 8),
    ("stato", Role::Status, 7),
    ("stato dell'ordine", Role::Status, 8),
    ("bestelstatus", Role::Status, 8),
    ("presente", Role::CheckedIn, 7),
    ("presença", Role::CheckedIn, 7),
    ("compareceu", Role::CheckedIn, 8),
    ("asistencia", Role::CheckedIn, 7),
    ("asistió", Role::CheckedIn, 8),
    ("présent", Role::CheckedIn, 7),
    ("présence", Role::CheckedIn, 7),
    ("presenza", Role::CheckedIn, 7),
    ("aanwezig", Role::CheckedIn, 7),
    ("aanwezigheid", Role::CheckedIn, 7),
    ("ingecheckt", Role::CheckedIn, 8),
    ("correo electrónico", Role::Email, 8),
    ("correo", Role::Email, 6),
    ("courriel", Role::Email, 8),
    ("adresse e mail", Role::Email, 8),
    ("adresse email", Role::Email, 8),
    ("indirizzo email", Role::Email, 8),
    ("indirizzo e mail", Role::Email, 8),
    ("e mailadres", Role::Email, 8),
    ("emailadres", Role::Email, 8),
    ("primeiro nome", Role::FirstName, 8),
    ("nombre de pila", Role::FirstName, 8),
    ("prénom", Role::FirstName, 8),
    ("voornaam", Role::FirstName, 8),
    ("sobrenome", Role::LastName, 8),
    ("último nome", Role::LastName, 8),
    ("apellido", Role::LastName, 8),
    ("apellidos", Role::LastName, 8),
    ("nom de famille", Role::LastName, 8),
    ("nom", Role::LastName, 6),
    ("cognome", Role::LastName, 8),
    ("achternaam", Role::LastName, 8),
    ("nome completo", Role::Name, 8),
    ("nombre completo", Role::Name, 8),
    ("nom complet", Role::Name, 8),
    ("nome", Role::Name, 6),
    ("nombre", Role::Name, 6),
    ("naam", Role::Name, 6),
    ("telefone", Role::Phone, 7),
    ("celular", Role::Phone, 7),
    ("teléfono", Role::Phone, 7),
    ("móvil", Role::Phone, 6),
    ("téléphone", Role::Phone, 7),
    ("telefono", Role::Phone, 7),
    ("cellulare", Role::Phone, 6),
    ("telefoonnummer", Role::Phone, 8),
    ("quantidade", Role::Quantity, 9),
    ("cantidad", Role::Quantity, 9),
    ("quantité", Role::Quantity, 9),
    ("quantità", Role::Quantity, 9),
    ("aantal", Role::Quantity, 9),
    ("valor", Role::Price, 6),
    ("preço", Role::Price, 7),
    ("precio", Role::Price, 7),
    ("importe", Role::Price, 6),
    ("prix", Role::Price, 7),
    ("montant", Role::Price, 6),
    ("prezzo", Role::Price, 7),
    ("importo", Role::Price, 6),
    ("prijs", Role::Price, 7),
    ("bedrag", Role::Price, 6),
    ("tipo de ingresso", Role::TicketType, 9),
    ("ingresso", Role::TicketType, 6),
    ("tipo de entrada", Role::TicketType, 9),
    ("entrada", Role::TicketType, 5),
    ("type de billet", Role::TicketType, 9),
    ("billet", Role::TicketType, 5),
    ("tipo di biglietto", Role::TicketType, 9),
    ("biglietto", Role::TicketType, 5),
    ("soort ticket", Role::TicketType, 9),
    ("cidade", Role::City, 8),
    ("ciudad", Role::City, 8),
    ("ville", Role::City, 8),
    ("città", Role::City, 8),
    ("woonplaats", Role::City, 8),
    ("plaats", Role::City, 6),
    ("estado/província", Role::Region, 8),
    ("provincia", Role::Region, 8),
    ("país", Role::Country, 8),
    ("pays", Role::Country, 8),
    ("paese", Role::Country, 8),
    ("cep", Role::PostalCode, 8),
    ("código postal", Role::PostalCode, 8),
    ("code postal", Role::PostalCode, 8),
    ("cap", Role::PostalCode, 6),
    ("id do pedido", Role::OrderId, 9),
    ("número do pedido", Role::OrderId, 9),
    ("número de pedido", Role::OrderId, 9),
    ("numéro de commande", Role::OrderId, 9),
    ("numero ordine", Role::OrderId, 9),
    ("bestelnummer", Role::OrderId, 9),
    // days booked ahead
    ("lead time", Role::LeadDays, 8),
    ("lead days", Role::LeadDays, 8),
    ("booking lead time", Role::LeadDays, 9),
    ("days in advance", Role::LeadDays, 8),
    ("days ahead", Role::LeadDays, 7),
    ("vorlaufzeit", Role::LeadDays, 8),
];

/// Attendance columns whose "yes" means the person did *not* come.
const NEGATED_CHECKIN: &[&str] = &[
    "no show",
    "noshow",
    "no shows",
    "no show flag",
    "absent",
    "absence",
    "did not attend",
    "didn't attend",
    "did not show",
    "not attended",
    "missed",
    "nicht erschienen",
    "nicht teilgenommen",
    "abwesend",
    "ausgefallen",
];

/// Whether an attendance header is negated (`No-show`, `absent`): yes means did not come.
pub fn is_negated_checkin(header: &str) -> bool {
    NEGATED_CHECKIN.contains(&normalize_header(header).as_str())
}

/// Role and priority for a header, by its normalized spelling.
pub fn role_for_header(header: &str) -> Option<(Role, u8)> {
    let n = normalize_header(header);
    if NEGATED_CHECKIN.contains(&n.as_str()) {
        return Some((Role::CheckedIn, 9));
    }
    HEADERS
        .iter()
        .find(|(h, _, _)| *h == n)
        .map(|&(_, role, prio)| (role, prio))
}

/// Headers of time columns that are not the registration time (join, check-in, birth, …),
/// so value-based detection leaves them alone.
fn is_other_time(header: &str) -> bool {
    let n = normalize_header(header);
    [
        "join",
        "leave",
        "check",
        "arriv",
        "birth",
        "geburt",
        "update",
        "modif",
        "geändert",
        "payment",
        "zahlung",
        "expir",
        "until",
        "bis",
        "last",
        "letzte",
        "start",
        "end",
        "event",
        "occurrence",
        "ablauf",
        "beginn",
        "ende",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// Column indices for each role, primary first.
pub type Mapping = BTreeMap<Role, Vec<usize>>;

/// How many distinct roles a header row names; used to find the header in preambles.
pub fn header_score(cells: &[String]) -> u32 {
    let mut seen = [false; Role::COUNT];
    for c in cells {
        if let Some((role, _)) = role_for_header(c) {
            seen[role as usize] = true;
        }
    }
    let n = seen.iter().filter(|&&s| s).count() as u32;
    n + 2 * seen[Role::RegisteredAt as usize] as u32
}

/// Maps headers to roles: dictionary first, then values for time and e-mail columns.
/// `samples[c]` holds sample values of column `c`.
pub fn detect(headers: &[String], samples: &[Vec<String>]) -> Mapping {
    let mut best: BTreeMap<Role, Vec<(u8, usize)>> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        if let Some((role, prio)) = role_for_header(h) {
            best.entry(role).or_default().push((prio, i));
        }
    }
    let mut mapping = Mapping::new();
    for (role, mut cols) in best {
        cols.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let keep = if role.takes_fallbacks() {
            cols.len()
        } else {
            1
        };
        mapping.insert(role, cols.iter().take(keep).map(|c| c.1).collect());
    }
    let used = |m: &Mapping, c: usize| m.values().any(|v| v.contains(&c));
    // `Estado` is a status in Spanish exports and a state (`SP`, `RJ`) in Brazilian ones:
    // the values tell which.
    if let Some(&[c]) = mapping.get(&Role::Status).map(Vec::as_slice)
        && normalize_header(&headers[c]) == "estado"
        && status_fraction(samples.get(c)) < 0.5
    {
        mapping.remove(&Role::Status);
        mapping.entry(Role::Region).or_insert_with(|| vec![c]);
    }
    // A date written as year, month and day columns (hotel logs: `arrival_date_year`, …).
    for (role, words) in [
        (
            Role::EventAt,
            &[
                "arrival",
                "visit",
                "event",
                "appointment",
                "check in",
                "stay",
            ][..],
        ),
        (
            Role::RegisteredAt,
            &["booking", "registration", "order", "reservation made"][..],
        ),
    ] {
        if mapping.contains_key(&role) {
            continue;
        }
        if let Some(parts) = date_parts(headers, words) {
            mapping.insert(role, parts.to_vec());
        }
    }
    if !mapping.contains_key(&Role::RegisteredAt) {
        let candidate = (0..headers.len())
            .filter(|&c| !used(&mapping, c) && !is_other_time(&headers[c]))
            .map(|c| (time_fraction(samples.get(c)), c))
            .filter(|(f, _)| *f >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, c)) = candidate {
            mapping.insert(Role::RegisteredAt, vec![c]);
        }
    }
    if !mapping.contains_key(&Role::Email) {
        let candidate = (0..headers.len())
            .filter(|&c| !used(&mapping, c))
            .find(|&c| email_fraction(samples.get(c)) >= 0.8);
        if let Some(c) = candidate {
            mapping.insert(Role::Email, vec![c]);
        }
    }
    // A registered_time column only makes sense beside a date.
    if !mapping.contains_key(&Role::RegisteredAt) {
        mapping.remove(&Role::RegisteredTime);
    }
    mapping
}

/// Columns (year, month, day) whose headers share a prefix naming `words` and end in
/// `year`, `month` and `day of month` (or `day`).
fn date_parts(headers: &[String], words: &[&str]) -> Option<[usize; 3]> {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    for (y, h) in norm.iter().enumerate() {
        let Some(prefix) = h.strip_suffix(" year") else {
            continue;
        };
        if !words.iter().any(|w| prefix.contains(w)) {
            continue;
        }
        let find = |suffixes: &[&str]| {
            norm.iter()
                .position(|x| suffixes.iter().any(|s| *x == format!("{prefix} {s}")))
        };
        if let (Some(m), Some(d)) = (find(&["month"]), find(&["day of month", "day"])) {
            return Some([y, m, d]);
        }
    }
    None
}

fn non_empty(values: Option<&Vec<String>>) -> impl Iterator<Item = &String> {
    values
        .into_iter()
        .flatten()
        .filter(|v| !v.trim().is_empty())
}

/// Share of non-empty sample values that read as a date or time (plain numbers don't count).
fn time_fraction(values: Option<&Vec<String>>) -> f64 {
    let (mut n, mut ok) = (0, 0);
    for v in non_empty(values) {
        n += 1;
        if let Some((_, shape)) = timestamp::parse(v.as_bytes())
            && !matches!(
                shape.date,
                DateShape::ExcelSerial | DateShape::UnixSeconds | DateShape::UnixMillis
            )
        {
            ok += 1;
        }
    }
    if n == 0 { 0.0 } else { ok as f64 / n as f64 }
}

fn status_fraction(values: Option<&Vec<String>>) -> f64 {
    let Some(v) = values else { return 0.0 };
    let filled: Vec<&String> = v.iter().filter(|x| !x.trim().is_empty()).collect();
    if filled.is_empty() {
        return 0.0;
    }
    let known = filled
        .iter()
        .filter(|x| super::values::Status::parse(x).is_some())
        .count();
    known as f64 / filled.len() as f64
}

fn email_fraction(values: Option<&Vec<String>>) -> f64 {
    let (mut n, mut ok) = (0, 0);
    for v in non_empty(values) {
        n += 1;
        let v = v.trim();
        if let Some(at) = v.find('@')
            && at > 0
            && v[at + 1..].contains('.')
            && !v.contains(' ')
        {
            ok += 1;
        }
    }
    if n == 0 { 0.0 } else { ok as f64 / n as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> Mapping {
        let h: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        detect(&h, &vec![vec![]; h.len()])
    }

    fn header_of(m: &Mapping, headers: &[&str], role: Role) -> Option<String> {
        m.get(&role).map(|c| headers[c[0]].to_string())
    }

    #[test]
    fn restaurant_bookings_say_how_many_people() {
        for h in [
            "reserve_visitors",
            "Party Size",
            "Number of guests",
            "PAX",
            "Covers",
        ] {
            assert_eq!(role_for_header(h).map(|r| r.0), Some(Role::Quantity), "{h}");
        }
    }

    #[test]
    fn zoom_join_time_is_not_the_registration_time() {
        let h = [
            "Attended",
            "User Name (Original Name)",
            "First Name",
            "Last Name",
            "Email",
            "Phone",
            "Registration Time",
            "Approval Status",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Is Guest",
            "Country/Region Name",
        ];
        let m = map(&h);
        assert_eq!(
            header_of(&m, &h, Role::RegisteredAt).as_deref(),
            Some("Registration Time")
        );
        assert_eq!(
            header_of(&m, &h, Role::CheckedIn).as_deref(),
            Some("Attended")
        );
        assert_eq!(
            header_of(&m, &h, Role::Status).as_deref(),
            Some("Approval Status")
        );
        assert_eq!(
            header_of(&m, &h, Role::Country).as_deref(),
            Some("Country/Region Name")
        );
    }

    #[test]
    fn eventbrite_prefers_ticket_type_over_price_tier() {
        let h = [
            "Order #",
            "Order Date",
            "First Name",
            "Last Name",
            "Email",
            "Quantity",
            "Price Tier",
            "Ticket Type",
            "Attendee #",
            "Attendee Status",
        ];
        let m = map(&h);
        assert_eq!(
            header_of(&m, &h, Role::TicketType).as_deref(),
            Some("Ticket Type")
        );
        assert_eq!(header_of(&m, &h, Role::OrderId).as_deref(), Some("Order #"));
        assert_eq!(
            header_of(&m, &h, Role::RegistrantId).as_deref(),
            Some("Attendee #")
        );
    }

    #[test]
    fn german_pretix_date_and_time_pair() {
        let h = [
            "Bestellnummer",
            "Bestelldatum",
            "Bestelluhrzeit",
            "E-Mail Teilnehmer*in",
        ];
        let m = map(&h);
        assert_eq!(
            header_of(&m, &h, Role::RegisteredAt).as_deref(),
            Some("Bestelldatum")
        );
        assert_eq!(
            header_of(&m, &h, Role::RegisteredTime).as_deref(),
            Some("Bestelluhrzeit")
        );
        assert_eq!(
            header_of(&m, &h, Role::Email).as_deref(),
            Some("E-Mail Teilnehmer*in")
        );
    }

    #[test]
    fn values_find_unnamed_time_and_email_columns() {
        let h: Vec<String> = ["Wann", "Wer", "Kontakt"].map(String::from).to_vec();
        let samples = vec![
            vec!["01.02.2024 10:00".into(), "02.02.2024 11:30".into()],
            vec!["Anna".into(), "Ben".into()],
            vec!["anna@example.org".into(), "ben@example.org".into()],
        ];
        let m = detect(&h, &samples);
        assert_eq!(m.get(&Role::RegisteredAt), Some(&vec![0]));
        assert_eq!(m.get(&Role::Email), Some(&vec![2]));
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize_header("Has Arrived (YES/NO)"), "has arrived");
        assert_eq!(normalize_header("\u{feff}checked_in_at"), "checked in at");
        assert_eq!(normalize_header("  E-Mail  "), "e mail");
    }
}
