"""The console's words in English and German; the language is a cookie the switch sets."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "de")
DE = {
    "Tills": "Kassen", "Days": "Tage", "Sales": "Verkäufe", "Anomalies": "Auffälligkeiten", "Users": "Benutzer",
    "Log in": "Anmelden", "Log out": "Abmelden", "Name": "Name", "Password": "Passwort", "Store": "Filiale",
    "Till": "Kasse", "Last sync": "Letzte Synchronisierung", "Backlog": "Ausstehend", "Last import": "Letzter Import",
    "Status": "Status", "Problems": "Probleme", "never": "nie", "Business date": "Geschäftstag",
    "Complete": "Vollständig", "yes": "ja", "no": "nein", "From": "Von", "To": "Bis", "Cashier": "Kassierer",
    "Download": "Herunterladen",
    "Filter": "Filtern", "Kind": "Art", "Receipt": "Beleg", "Time": "Zeit", "Net": "Netto", "Tax": "Steuer",
    "Gross": "Brutto", "Page": "Seite", "of": "von", "Previous": "Zurück", "Next": "Weiter", "Detail": "Detail",
    "Role": "Rolle", "Add user": "Benutzer anlegen", "Locked": "Gesperrt", "Failed logins": "Fehlversuche",
    "Net sales": "Nettoumsatz", "Returns": "Retouren", "Cash difference": "Kassendifferenz",
    "Shifts opened": "Schichten geöffnet", "Shifts closed": "Schichten geschlossen",
    "sent nothing for this day": "hat für diesen Tag nichts gesendet",
    "Incomplete": "Unvollständig", "sales": "Verkäufe",
    "Wrong name or password.": "Falscher Name oder falsches Passwort.",
    "Too many failed logins: try again later.": "Zu viele Fehlversuche: später erneut versuchen.",
    "verified": "geprüft", "fork": "Verzweigung", "gap": "Lücke", "clock_skew": "Uhrabweichung",
    "bad_checkpoint": "Prüfpunkt ungültig", "problems": "Probleme", "never_synced": "nie synchronisiert", "All": "Alle",
    "Head office": "Zentrale",
    "Nothing here.": "Keine Einträge.", "Forbidden": "Nicht erlaubt",
    "Your role does not allow this page.": "Ihre Rolle erlaubt diese Seite nicht.", "Language": "Sprache",
    "User added.": "Benutzer angelegt.",
}


EN = {"never_synced": "never synced", "bad_checkpoint": "bad checkpoint", "clock_skew": "clock skew"}


def translator(lang: str) -> Callable[[str], str]:
    """gettext-like `_` for the templates: German where the catalogue has it, else English."""
    table = DE if lang == "de" else EN

    def _(text: str) -> str:
        return table.get(text, text)

    return _
