<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>Tillstone</name>
    <message>
        <source>Large sale</source>
        <translation>Großer Verkauf</translation>
    </message>
    <message>
        <source>After hours</source>
        <translation>Außerhalb der Öffnungszeit</translation>
    </message>
    <message>
        <source>Wrong PINs</source>
        <translation>Falsche PINs</translation>
    </message>
    <message>
        <source>Voids</source>
        <translation>Stornos</translation>
    </message>
    <message>
        <source>Large refund</source>
        <translation>Große Erstattung</translation>
    </message>
    <message>
        <source> (+{0} more)</source>
        <translation> (+{0} weitere)</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>Gesehen</translation>
    </message>
    <message>
        <source>Supervisor approval</source>
        <translation>Freigabe durch Aufsicht</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>PIN der Aufsicht</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Not approved. Nothing was changed.</source>
        <translation>Nicht freigegeben. Nichts wurde geändert.</translation>
    </message>
    <message>
        <source>Choose the supervisor who approves.</source>
        <translation>Wählen Sie die Aufsicht, die freigibt.</translation>
    </message>
    <message>
        <source>approved at till</source>
        <translation>an der Kasse freigegeben</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>Voucher</source>
        <translation>Gutschein</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>Auf Rechnung</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Quick keys</source>
        <translation>Schnelltasten</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>Kreditlimit</translation>
    </message>
    <message>
        <source>Terms (days)</source>
        <translation>Zahlungsziel (Tage)</translation>
    </message>
    <message>
        <source>Choose RETAIL or WHOLESALE.</source>
        <translation>Wählen Sie EINZELHANDEL oder GROSSHANDEL.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>Neuer Kunde</translation>
    </message>
    <message>
        <source>The credit limit is not an amount.</source>
        <translation>Das Kreditlimit ist kein Betrag.</translation>
    </message>
    <message>
        <source>The payment terms are a number of days.</source>
        <translation>Das Zahlungsziel ist eine Anzahl Tage.</translation>
    </message>
    <message>
        <source>Details of {0}</source>
        <translation>Daten von {0}</translation>
    </message>
    <message>
        <source>Name or customer number</source>
        <translation>Name oder Kundennummer</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Betrag</translation>
    </message>
    <message>
        <source>Reason of an adjustment</source>
        <translation>Grund einer Korrektur</translation>
    </message>
    <message>
        <source>Wholesale</source>
        <translation>Großhandel</translation>
    </message>
    <message>
        <source>Retail</source>
        <translation>Einzelhandel</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Kunden</translation>
    </message>
    <message>
        <source>Account blocked: no sales on account.</source>
        <translation>Konto gesperrt: kein Verkauf auf Rechnung.</translation>
    </message>
    <message>
        <source>Choose a customer first.</source>
        <translation>Wählen Sie zuerst einen Kunden.</translation>
    </message>
    <message>
        <source>Type the amount first.</source>
        <translation>Geben Sie zuerst den Betrag ein.</translation>
    </message>
    <message>
        <source>Change details</source>
        <translation>Daten ändern</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Zuordnen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Balance {0}   limit {1}   available {2}</source>
        <translation>Saldo {0}   Limit {1}   verfügbar {2}</translation>
    </message>
    <message>
        <source>Overdue {0}   terms {1} days</source>
        <translation>Überfällig {0}   Ziel {1} Tage</translation>
    </message>
    <message>
        <source>Aging (days): {0}</source>
        <translation>Alter (Tage): {0}</translation>
    </message>
    <message>
        <source>Adjust a customer's balance</source>
        <translation>Kundensaldo korrigieren</translation>
    </message>
    <message>
        <source>Pay in cash</source>
        <translation>Bar einzahlen</translation>
    </message>
    <message>
        <source>Pay by card</source>
        <translation>Mit Karte einzahlen</translation>
    </message>
    <message>
        <source>Adjust +</source>
        <translation>Korrektur +</translation>
    </message>
    <message>
        <source>Adjust −</source>
        <translation>Korrektur −</translation>
    </message>
    <message>
        <source>Balance adjusted. New balance {0}.</source>
        <translation>Saldo korrigiert. Neuer Saldo {0}.</translation>
    </message>
    <message>
        <source>Payment taken. New balance {0}.</source>
        <translation>Zahlung erfasst. Neuer Saldo {0}.</translation>
    </message>
    <message>
        <source>Add a customer</source>
        <translation>Kunden anlegen</translation>
    </message>
    <message>
        <source>Change a customer</source>
        <translation>Kunden ändern</translation>
    </message>
    <message>
        <source>{0} is not an amount the account can be paid.</source>
        <translation>{0} ist kein Betrag, mit dem das Konto bezahlt werden kann.</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>Customer {0} added.</source>
        <translation>Kunde {0} angelegt.</translation>
    </message>
    <message>
        <source>Details of {0} saved.</source>
        <translation>Daten von {0} gespeichert.</translation>
    </message>
    <message>
        <source>Close the day</source>
        <translation>Tag abschließen</translation>
    </message>
    <message>
        <source>Open next day</source>
        <translation>Nächsten Tag öffnen</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Nicht jetzt</translation>
    </message>
    <message>
        <source>Close the business day {0} with the Z report? {1}, {2}.</source>
        <translation>Geschäftstag {0} mit dem Z-Bericht abschließen? {1}, {2}.</translation>
    </message>
    <message>
        <source>{0} open shift</source>
        <translation>{0} offene Schicht</translation>
    </message>
    <message>
        <source>{0} open shifts</source>
        <translation>{0} offene Schichten</translation>
    </message>
    <message>
        <source>{0} parked sale</source>
        <translation>{0} geparkter Verkauf</translation>
    </message>
    <message>
        <source>{0} parked sales</source>
        <translation>{0} geparkte Verkäufe</translation>
    </message>
    <message>
        <source>Close the open shift first.</source>
        <translation>Schließen Sie zuerst die offene Schicht.</translation>
    </message>
    <message>
        <source>The business day {0} is closed. Open the next business day, {1}, on this till?</source>
        <translation>Der Geschäftstag {0} ist abgeschlossen. Den nächsten Geschäftstag, {1}, an dieser Kasse öffnen?</translation>
    </message>
    <message>
        <source>Open {0}</source>
        <translation>{0} öffnen</translation>
    </message>
    <message>
        <source>Business day {0} is open: shifts opened now belong to it.</source>
        <translation>Geschäftstag {0} ist offen: jetzt geöffnete Schichten gehören zu ihm.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>%v rows</source>
        <translation>%v Zeilen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>Business date</source>
        <translation>Geschäftstag</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>In Ordner exportieren</translation>
    </message>
    <message>
        <source>Sales of a day</source>
        <translation>Verkäufe eines Tages</translation>
    </message>
    <message>
        <source>Sales of this shift</source>
        <translation>Verkäufe dieser Schicht</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>Audit log of a day</source>
        <translation>Protokoll eines Tages</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Daten exportieren</translation>
    </message>
    <message>
        <source>Choose a folder to export to.</source>
        <translation>Wählen Sie einen Ordner für den Export.</translation>
    </message>
    <message>
        <source>Excel (xlsx)</source>
        <translation>Excel (xlsx)</translation>
    </message>
    <message>
        <source>Exported {0} rows to {1}.</source>
        <translation>{0} Zeilen nach {1} exportiert.</translation>
    </message>
    <message>
        <source>Who is at the till?</source>
        <translation>Wer ist an der Kasse?</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Touch your name first.</source>
        <translation>Tippen Sie zuerst auf Ihren Namen.</translation>
    </message>
    <message>
        <source>{0}: type your PIN</source>
        <translation>{0}: PIN eingeben</translation>
    </message>
    <message>
        <source>Till locked by {0}: log in to carry on</source>
        <translation>Kasse gesperrt von {0}: zum Weitermachen anmelden</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Zahlung</translation>
    </message>
    <message>
        <source>Amount tendered</source>
        <translation>Gegebener Betrag</translation>
    </message>
    <message>
        <source>Back to sale</source>
        <translation>Zurück zum Verkauf</translation>
    </message>
    <message>
        <source>New sale</source>
        <translation>Neuer Verkauf</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Nachdruck</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Passend</translation>
    </message>
    <message>
        <source>Type the amount, e.g. 20,00.</source>
        <translation>Betrag eingeben, z. B. 20,00.</translation>
    </message>
    <message>
        <source>Put {0} on account over the credit limit</source>
        <translation>{0} über dem Kreditlimit auf Rechnung buchen</translation>
    </message>
    <message>
        <source>To pay {0}   (total {1})</source>
        <translation>Zu zahlen {0}   (Summe {1})</translation>
    </message>
    <message>
        <source>Receipt {0}</source>
        <translation>Beleg {0}</translation>
    </message>
    <message>
        <source>Paid {0}</source>
        <translation>Bezahlt {0}</translation>
    </message>
    <message>
        <source>Change {0}</source>
        <translation>Rückgeld {0}</translation>
    </message>
    <message>
        <source>Sale {0} done. Receipt sent to the printer.</source>
        <translation>Verkauf {0} abgeschlossen. Beleg an den Drucker gesendet.</translation>
    </message>
    <message>
        <source>Paid part. {0} still to pay.</source>
        <translation>Teilweise bezahlt. Noch {0} offen.</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>▲ Up</source>
        <translation>▲ Hoch</translation>
    </message>
    <message>
        <source>▼ Down</source>
        <translation>▼ Runter</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Drucken</translation>
    </message>
    <message>
        <source>Report sent to the printer.</source>
        <translation>Bericht an den Drucker gesendet.</translation>
    </message>
    <message>
        <source>Scan or type the receipt number</source>
        <translation>Belegnummer scannen oder eingeben</translation>
    </message>
    <message>
        <source>To original payment</source>
        <translation>Auf ursprüngliche Zahlart</translation>
    </message>
    <message>
        <source>In cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source> (voided)</source>
        <translation> (storniert)</translation>
    </message>
    <message>
        <source>void at till</source>
        <translation>Storno an der Kasse</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Artikel</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Verkauft</translation>
    </message>
    <message>
        <source>Can return</source>
        <translation>Rückgabe möglich</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Rückgabe</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>+1</source>
        <translation>+1</translation>
    </message>
    <message>
        <source>−1</source>
        <translation>−1</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Erstatten</translation>
    </message>
    <message>
        <source>Void sale</source>
        <translation>Verkauf stornieren</translation>
    </message>
    <message>
        <source>Returns and voids</source>
        <translation>Rückgaben und Stornos</translation>
    </message>
    <message>
        <source>Scan or type the receipt number first.</source>
        <translation>Scannen oder tippen Sie zuerst die Belegnummer.</translation>
    </message>
    <message>
        <source>Find the receipt first.</source>
        <translation>Suchen Sie zuerst den Beleg.</translation>
    </message>
    <message>
        <source>Receipt {0}{1}: {2}, paid {3}</source>
        <translation>Beleg {0}{1}: {2}, bezahlt {3}</translation>
    </message>
    <message>
        <source>customer return</source>
        <translation>Kundenrückgabe</translation>
    </message>
    <message>
        <source>Refunded {0} ({1}).</source>
        <translation>{0} erstattet ({1}).</translation>
    </message>
    <message>
        <source>customer changed mind</source>
        <translation>Kunde hat es sich anders überlegt</translation>
    </message>
    <message>
        <source>Sale {0} is voided.</source>
        <translation>Verkauf {0} ist storniert.</translation>
    </message>
    <message>
        <source>Refund on receipt {0}</source>
        <translation>Erstattung auf Beleg {0}</translation>
    </message>
    <message>
        <source>Void sale {0}</source>
        <translation>Verkauf {0} stornieren</translation>
    </message>
    <message>
        <source>Scan or type a barcode / SKU</source>
        <translation>Barcode / Artikelnr. scannen</translation>
    </message>
    <message>
        <source>Search name or SKU (F3)</source>
        <translation>Name oder Artikelnr. suchen (F3)</translation>
    </message>
    <message>
        <source>Typed weights need a supervisor.</source>
        <translation>Getippte Gewichte braucht eine Freigabe.</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Preis</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Rabatt</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Menge</translation>
    </message>
    <message>
        <source>Line discount</source>
        <translation>Zeilenrabatt</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>Zeile entfernen</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Verkauf abbrechen</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Kunde</translation>
    </message>
    <message>
        <source>Sale discount</source>
        <translation>Bonrabatt</translation>
    </message>
    <message>
        <source>Park</source>
        <translation>Parken</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Rückgaben</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Bezahlen</translation>
    </message>
    <message>
        <source>Type the weight in kg, e.g. 0,750.</source>
        <translation>Gewicht in kg eingeben, z. B. 0,750.</translation>
    </message>
    <message>
        <source>Weighing {0}…</source>
        <translation>{0} wird gewogen…</translation>
    </message>
    <message>
        <source>Type weight</source>
        <translation>Gewicht tippen</translation>
    </message>
    <message>
        <source>Weight of {0} (kg)</source>
        <translation>Gewicht von {0} (kg)</translation>
    </message>
    <message>
        <source>{0} found for “{1}”</source>
        <translation>{0} gefunden für „{1}“</translation>
    </message>
    <message>
        <source>{0} line</source>
        <translation>{0} Zeile</translation>
    </message>
    <message>
        <source>{0} lines</source>
        <translation>{0} Zeilen</translation>
    </message>
    <message>
        <source>Lowering a quantity needs a supervisor.</source>
        <translation>Eine Menge verringern braucht eine Freigabe.</translation>
    </message>
    <message>
        <source>An amount, or a percentage ending in %.</source>
        <translation>Ein Betrag oder ein Prozentsatz mit %.</translation>
    </message>
    <message>
        <source>Discount on the whole sale</source>
        <translation>Rabatt auf den ganzen Verkauf</translation>
    </message>
    <message>
        <source>Changing a price needs a supervisor.</source>
        <translation>Eine Preisänderung braucht eine Freigabe.</translation>
    </message>
    <message>
        <source>{0} item</source>
        <translation>{0} Artikel</translation>
    </message>
    <message>
        <source>{0} items</source>
        <translation>{0} Artikel</translation>
    </message>
    <message>
        <source>Scan an item to start a sale.</source>
        <translation>Scannen Sie einen Artikel, um zu beginnen.</translation>
    </message>
    <message>
        <source>There is no line to change: scan an item first.</source>
        <translation>Keine Zeile zum Ändern: zuerst einen Artikel scannen.</translation>
    </message>
    <message>
        <source>Type the discount as an amount (2,00) or a percentage (10%).</source>
        <translation>Rabatt als Betrag (2,00) oder Prozentsatz (10%) eingeben.</translation>
    </message>
    <message>
        <source>An empty sale cannot be parked.</source>
        <translation>Ein leerer Verkauf kann nicht geparkt werden.</translation>
    </message>
    <message>
        <source>This sale has items. Park it and resume the one you chose?</source>
        <translation>Dieser Verkauf hat Artikel. Parken und den gewählten fortsetzen?</translation>
    </message>
    <message>
        <source>Sale resumed.</source>
        <translation>Verkauf fortgesetzt.</translation>
    </message>
    <message>
        <source>The sale has no items to pay for.</source>
        <translation>Der Verkauf hat keine Artikel.</translation>
    </message>
    <message>
        <source>{0}   discount {1}   tax {2}</source>
        <translation>{0}   Rabatt {1}   Steuer {2}</translation>
    </message>
    <message>
        <source>Total {0}</source>
        <translation>Summe {0}</translation>
    </message>
    <message>
        <source>Type a quantity above zero.</source>
        <translation>Geben Sie eine Menge über null ein.</translation>
    </message>
    <message>
        <source>Quantity of {0}</source>
        <translation>Menge von {0}</translation>
    </message>
    <message>
        <source>Discount on {0}</source>
        <translation>Rabatt auf {0}</translation>
    </message>
    <message>
        <source>Type a price, e.g. 2,49.</source>
        <translation>Preis eingeben, z. B. 2,49.</translation>
    </message>
    <message>
        <source>New price of {0}</source>
        <translation>Neuer Preis von {0}</translation>
    </message>
    <message>
        <source>Cancel the whole sale</source>
        <translation>Den ganzen Verkauf abbrechen</translation>
    </message>
    <message>
        <source>credit left {0}</source>
        <translation>Kredit frei {0}</translation>
    </message>
    <message>
        <source>Customer: {0} ({1})</source>
        <translation>Kunde: {0} ({1})</translation>
    </message>
    <message>
        <source>Remove {0}</source>
        <translation>{0} entfernen</translation>
    </message>
    <message>
        <source>Parked sales: {0}</source>
        <translation>Geparkte Verkäufe: {0}</translation>
    </message>
    <message>
        <source>Park and resume</source>
        <translation>Parken und fortsetzen</translation>
    </message>
    <message>
        <source>Sale parked.</source>
        <translation>Verkauf geparkt.</translation>
    </message>
    <message>
        <source>Sale cancelled.</source>
        <translation>Verkauf abgebrochen.</translation>
    </message>
    <message>
        <source>Settings saved. Device changes apply when the till is restarted.</source>
        <translation>Einstellungen gespeichert. Geräteänderungen gelten nach einem Neustart der Kasse.</translation>
    </message>
    <message>
        <source>Test printer</source>
        <translation>Drucker testen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Schicht öffnen</translation>
    </message>
    <message>
        <source>Close shift (blind)</source>
        <translation>Schicht schließen (blind)</translation>
    </message>
    <message>
        <source>Supervisor X</source>
        <translation>X mit Aufsicht</translation>
    </message>
    <message>
        <source>Z report</source>
        <translation>Z-Bericht</translation>
    </message>
    <message>
        <source>Print report</source>
        <translation>Bericht drucken</translation>
    </message>
    <message>
        <source>Resolve difference</source>
        <translation>Differenz klären</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Einlage</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Entnahme</translation>
    </message>
    <message>
        <source>No sale</source>
        <translation>Kein Verkauf</translation>
    </message>
    <message>
        <source>X report</source>
        <translation>X-Bericht</translation>
    </message>
    <message>
        <source>Lock till</source>
        <translation>Kasse sperren</translation>
    </message>
    <message>
        <source>Count the drawer</source>
        <translation>Kassenlade zählen</translation>
    </message>
    <message>
        <source>No shift is open. Count the float, then Open shift.</source>
        <translation>Keine Schicht offen. Wechselgeld zählen, dann Schicht öffnen.</translation>
    </message>
    <message>
        <source>change for customer</source>
        <translation>Wechselgeld für Kunden</translation>
    </message>
    <message>
        <source>Drawer opened (no sale).</source>
        <translation>Schublade geöffnet (kein Verkauf).</translation>
    </message>
    <message>
        <source>Shift closed. Expected {0}, counted {1}, difference {2}.</source>
        <translation>Schicht geschlossen. Erwartet {0}, gezählt {1}, Differenz {2}.</translation>
    </message>
    <message>
        <source>A supervisor must resolve the difference (Resolve difference).</source>
        <translation>Eine Aufsicht muss die Differenz klären (Differenz klären).</translation>
    </message>
    <message>
        <source>Counted {0}</source>
        <translation>Gezählt {0}</translation>
    </message>
    <message>
        <source>Shift open with a float of {0}.</source>
        <translation>Schicht mit {0} Wechselgeld geöffnet.</translation>
    </message>
    <message>
        <source>Take cash out</source>
        <translation>Bargeld entnehmen</translation>
    </message>
    <message>
        <source>{0}: {1} recorded.</source>
        <translation>{0}: {1} erfasst.</translation>
    </message>
    <message>
        <source>Open the drawer without a sale</source>
        <translation>Schublade ohne Verkauf öffnen</translation>
    </message>
    <message>
        <source>Close another cashier's shift</source>
        <translation>Schicht einer anderen Kassiererin schließen</translation>
    </message>
    <message>
        <source>Show the expected cash</source>
        <translation>Soll-Bestand anzeigen</translation>
    </message>
    <message>
        <source>Resolve the cash difference</source>
        <translation>Kassendifferenz klären</translation>
    </message>
    <message>
        <source>Shift {0} open since {1}, float {2}.</source>
        <translation>Schicht {0} offen seit {1}, Wechselgeld {2}.</translation>
    </message>
    <message>
        <source>Difference resolved by {0}.</source>
        <translation>Differenz geklärt von {0}.</translation>
    </message>
    <message>
        <source>No shift is open. Count the float to open one.</source>
        <translation>Keine Schicht offen. Zählen Sie das Wechselgeld zum Öffnen.</translation>
    </message>
    <message>
        <source>The receipt printer is back.</source>
        <translation>Der Belegdrucker ist wieder bereit.</translation>
    </message>
    <message>
        <source>Resume another cashier's shift</source>
        <translation>Schicht einer anderen Kassiererin fortsetzen</translation>
    </message>
    <message>
        <source>{0} Sales go on; receipts print when it is back.</source>
        <translation>{0} Der Verkauf geht weiter; Belege werden gedruckt, sobald er wieder bereit ist.</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <source>printing</source>
        <translation>druckt</translation>
    </message>
    <message>
        <source>paper low</source>
        <translation>Papier fast leer</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>kein Papier</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>Deckel offen</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>antwortet nicht</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>nicht eingerichtet</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>No shift open</source>
        <translation>Keine Schicht offen</translation>
    </message>
    <message>
        <source> (suspended)</source>
        <translation> (pausiert)</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>Sync: nicht eingerichtet</translation>
    </message>
    <message>
        <source>This till is not connected to a central store.</source>
        <translation>Diese Kasse ist mit keiner Zentrale verbunden.</translation>
    </message>
    <message>
        <source>Printer: {0}</source>
        <translation>Drucker: {0}</translation>
    </message>
    <message>
        <source>User: {0}</source>
        <translation>Benutzer: {0}</translation>
    </message>
    <message>
        <source>Shift {0}{1}</source>
        <translation>Schicht {0}{1}</translation>
    </message>
    <message>
        <source>Business date {0}</source>
        <translation>Geschäftstag {0}</translation>
    </message>
    <message>
        <source>Sync error – {0} waiting</source>
        <translation>Sync-Fehler – {0} ausstehend</translation>
    </message>
    <message>
        <source>Syncing… {0} waiting</source>
        <translation>Synchronisiere… {0} ausstehend</translation>
    </message>
    <message>
        <source>Synced {0} · {1} waiting</source>
        <translation>Synchronisiert {0} · {1} ausstehend</translation>
    </message>
    <message>
        <source>Not synced yet · {0} waiting</source>
        <translation>Noch kein Sync · {0} ausstehend</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>Kasse</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>Aufsicht</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Verwaltung</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>Bar</translation>
    </message>
    <message>
        <source>card</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>voucher</source>
        <translation>Gutschein</translation>
    </message>
    <message>
        <source>account</source>
        <translation>Auf Rechnung</translation>
    </message>
    <message>
        <source>other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>Store name</source>
        <translation>Filialname</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Cashier discount limit %</source>
        <translation>Rabattgrenze Kasse %</translation>
    </message>
    <message>
        <source>Printer URL</source>
        <translation>Drucker-URL</translation>
    </message>
    <message>
        <source>Scale URL</source>
        <translation>Waagen-URL</translation>
    </message>
    <message>
        <source>Tax mode</source>
        <translation>Steuermodus</translation>
    </message>
    <message>
        <source>Tax rounding</source>
        <translation>Steuerrundung</translation>
    </message>
    <message>
        <source>Rounding</source>
        <translation>Rundung</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Receipt header</source>
        <translation>Belegkopf</translation>
    </message>
    <message>
        <source>Receipt footer</source>
        <translation>Belegfuß</translation>
    </message>
    <message>
        <source>Round cash totals to</source>
        <translation>Barbeträge runden auf</translation>
    </message>
    <message>
        <source>Prices include tax</source>
        <translation>Preise inkl. Steuer</translation>
    </message>
    <message>
        <source>Tax added to prices</source>
        <translation>Steuer auf Preise aufschlagen</translation>
    </message>
    <message>
        <source>Per line</source>
        <translation>Je Zeile</translation>
    </message>
    <message>
        <source>Per receipt</source>
        <translation>Je Beleg</translation>
    </message>
    <message>
        <source>Half up (2.5 → 3)</source>
        <translation>Kaufmännisch (2,5 → 3)</translation>
    </message>
    <message>
        <source>Half to even (2.5 → 2)</source>
        <translation>Zur geraden Zahl (2,5 → 2)</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Deutsch</source>
        <translation>Deutsch</translation>
    </message>
</context>
</TS>
