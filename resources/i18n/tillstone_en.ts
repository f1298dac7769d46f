<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Tillstone</name>
    <message>
        <source>Large sale</source>
        <translation>Large sale</translation>
    </message>
    <message>
        <source>After hours</source>
        <translation>After hours</translation>
    </message>
    <message>
        <source>Wrong PINs</source>
        <translation>Wrong PINs</translation>
    </message>
    <message>
        <source>Voids</source>
        <translation>Voids</translation>
    </message>
    <message>
        <source>Large refund</source>
        <translation>Large refund</translation>
    </message>
    <message>
        <source> (+{0} more)</source>
        <translation> (+{0} more)</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>Seen</translation>
    </message>
    <message>
        <source>Supervisor approval</source>
        <translation>Supervisor approval</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>Supervisor PIN</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Not approved. Nothing was changed.</source>
        <translation>Not approved. Nothing was changed.</translation>
    </message>
    <message>
        <source>Choose the supervisor who approves.</source>
        <translation>Choose the supervisor who approves.</translation>
    </message>
    <message>
        <source>approved at till</source>
        <translation>approved at till</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Cash</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>Voucher</source>
        <translation>Voucher</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>On account</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Quick keys</source>
        <translation>Quick keys</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Contact person</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>Credit limit</translation>
    </message>
    <message>
        <source>Terms (days)</source>
        <translation>Terms (days)</translation>
    </message>
    <message>
        <source>Choose RETAIL or WHOLESALE.</source>
        <translation>Choose RETAIL or WHOLESALE.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>New customer</translation>
    </message>
    <message>
        <source>The credit limit is not an amount.</source>
        <translation>The credit limit is not an amount.</translation>
    </message>
    <message>
        <source>The payment terms are a number of days.</source>
        <translation>The payment terms are a number of days.</translation>
    </message>
    <message>
        <source>Details of {0}</source>
        <translation>Details of {0}</translation>
    </message>
    <message>
        <source>Name or customer number</source>
        <translation>Name or customer number</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Reason of an adjustment</source>
        <translation>Reason of an adjustment</translation>
    </message>
    <message>
        <source>Wholesale</source>
        <translation>Wholesale</translation>
    </message>
    <message>
        <source>Retail</source>
        <translation>Retail</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Account blocked: no sales on account.</source>
        <translation>Account blocked: no sales on account.</translation>
    </message>
    <message>
        <source>Choose a customer first.</source>
        <translation>Choose a customer first.</translation>
    </message>
    <message>
        <source>Type the amount first.</source>
        <translation>Type the amount first.</translation>
    </message>
    <message>
        <source>Change details</source>
        <translation>Change details</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Attach</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Balance {0}   limit {1}   available {2}</source>
        <translation>Balance {0}   limit {1}   available {2}</translation>
    </message>
    <message>
        <source>Overdue {0}   terms {1} days</source>
        <translation>Overdue {0}   terms {1} days</translation>
    </message>
    <message>
        <source>Aging (days): {0}</source>
        <translation>Aging (days): {0}</translation>
    </message>
    <message>
        <source>Adjust a customer's balance</source>
        <translation>Adjust a customer's balance</translation>
    </message>
    <message>
        <source>Pay in cash</source>
        <translation>Pay in cash</translation>
    </message>
    <message>
        <source>Pay by card</source>
        <translation>Pay by card</translation>
    </message>
    <message>
        <source>Adjust +</source>
        <translation>Adjust +</translation>
    </message>
    <message>
        <source>Adjust −</source>
        <translation>Adjust −</translation>
    </message>
    <message>
        <source>Balance adjusted. New balance {0}.</source>
        <translation>Balance adjusted. New balance {0}.</translation>
    </message>
    <message>
        <source>Payment taken. New balance {0}.</source>
        <translation>Payment taken. New balance {0}.</translation>
    </message>
    <message>
        <source>Add a customer</source>
        <translation>Add a customer</translation>
    </message>
    <message>
        <source>Change a customer</source>
        <translation>Change a customer</translation>
    </message>
    <message>
        <source>{0} is not an amount the account can be paid.</source>
        <translation>{0} is not an amount the account can be paid.</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>blocked</translation>
    </message>
    <message>
        <source>Customer {0} added.</source>
        <translation>Customer {0} added.</translation>
    </message>
    <message>
        <source>Details of {0} saved.</source>
        <translation>Details of {0} saved.</translation>
    </message>
    <message>
        <source>Close the day</source>
        <translation>Close the day</translation>
    </message>
    <message>
        <source>Open next day</source>
        <translation>Open next day</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>Close the business day {0} with the Z report? {1}, {2}.</source>
        <translation>Close the business day {0} with the Z report? {1}, {2}.</translation>
    </message>
    <message>
        <source>{0} open shift</source>
        <translation>{0} open shift</translation>
    </message>
    <message>
        <source>{0} open shifts</source>
        <translation>{0} open shifts</translation>
    </message>
    <message>
        <source>{0} parked sale</source>
        <translation>{0} parked sale</translation>
    </message>
    <message>
        <source>{0} parked sales</source>
        <translation>{0} parked sales</translation>
    </message>
    <message>
        <source>Close the open shift first.</source>
        <translation>Close the open shift first.</translation>
    </message>
    <message>
        <source>The business day {0} is closed. Open the next business day, {1}, on this till?</source>
        <translation>The business day {0} is closed. Open the next business day, {1}, on this till?</translation>
    </message>
    <message>
        <source>Open {0}</source>
        <translation>Open {0}</translation>
    </message>
    <message>
        <source>Business day {0} is open: shifts opened now belong to it.</source>
        <translation>Business day {0} is open: shifts opened now belong to it.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>%v rows</source>
        <translation>%v rows</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Business date</source>
        <translation>Business date</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>Export to folder</translation>
    </message>
    <message>
        <source>Sales of a day</source>
        <translation>Sales of a day</translation>
    </message>
    <message>
        <source>Sales of this shift</source>
        <translation>Sales of this shift</translation>
    </message>
    <message>
        <source>Inventory</source>
        <translation>Inventory</translation>
    </message>
    <message>
        <source>Audit log of a day</source>
        <translation>Audit log of a day</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Export data</source>
        <translation>Export data</translation>
    </message>
    <message>
        <source>Choose a folder to export to.</source>
        <translation>Choose a folder to export to.</translation>
    </message>
    <message>
        <source>Excel (xlsx)</source>
        <translation>Excel (xlsx)</translation>
    </message>
    <message>
        <source>Exported {0} rows to {1}.</source>
        <translation>Exported {0} rows to {1}.</translation>
    </message>
    <message>
        <source>Who is at the till?</source>
        <translation>Who is at the till?</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Touch your name first.</source>
        <translation>Touch your name first.</translation>
    </message>
    <message>
        <source>{0}: type your PIN</source>
        <translation>{0}: type your PIN</translation>
    </message>
    <message>
        <source>Till locked by {0}: log in to carry on</source>
        <translation>Till locked by {0}: log in to carry on</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>Amount tendered</source>
        <translation>Amount tendered</translation>
    </message>
    <message>
        <source>Back to sale</source>
        <translation>Back to sale</translation>
    </message>
    <message>
        <source>New sale</source>
        <translation>New sale</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>Exact</source>
        <translation>Exact</translation>
    </message>
    <message>
        <source>Type the amount, e.g. 20,00.</source>
        <translation>Type the amount, e.g. 20,00.</translation>
    </message>
    <message>
        <source>Put {0} on account over the credit limit</source>
        <translation>Put {0} on account over the credit limit</translation>
    </message>
    <message>
        <source>To pay {0}   (total {1})</source>
        <translation>To pay {0}   (total {1})</translation>
    </message>
    <message>
        <source>Receipt {0}</source>
        <translation>Receipt {0}</translation>
    </message>
    <message>
        <source>Paid {0}</source>
        <translation>Paid {0}</translation>
    </message>
    <message>
        <source>Change {0}</source>
        <translation>Change {0}</translation>
    </message>
    <message>
        <source>Sale {0} done. Receipt sent to the printer.</source>
        <translation>Sale {0} done. Receipt sent to the printer.</translation>
    </message>
    <message>
        <source>Paid part. {0} still to pay.</source>
        <translation>Paid part. {0} still to pay.</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>▲ Up</source>
        <translation>▲ Up</translation>
    </message>
    <message>
        <source>▼ Down</source>
        <translation>▼ Down</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>Report sent to the printer.</source>
        <translation>Report sent to the printer.</translation>
    </message>
    <message>
        <source>Scan or type the receipt number</source>
        <translation>Scan or type the receipt number</translation>
    </message>
    <message>
        <source>To original payment</source>
        <translation>To original payment</translation>
    </message>
    <message>
        <source>In cash</source>
        <translation>In cash</translation>
    </message>
    <message>
        <source> (voided)</source>
        <translation> (voided)</translation>
    </message>
    <message>
        <source>void at till</source>
        <translation>void at till</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Sold</translation>
    </message>
    <message>
        <source>Can return</source>
        <translation>Can return</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Find</translation>
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
        <translation>All</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>Void sale</source>
        <translation>Void sale</translation>
    </message>
    <message>
        <source>Returns and voids</source>
        <translation>Returns and voids</translation>
    </message>
    <message>
        <source>Scan or type the receipt number first.</source>
        <translation>Scan or type the receipt number first.</translation>
    </message>
    <message>
        <source>Find the receipt first.</source>
        <translation>Find the receipt first.</translation>
    </message>
    <message>
        <source>Receipt {0}{1}: {2}, paid {3}</source>
        <translation>Receipt {0}{1}: {2}, paid {3}</translation>
    </message>
    <message>
        <source>customer return</source>
        <translation>customer return</translation>
    </message>
    <message>
        <source>Refunded {0} ({1}).</source>
        <translation>Refunded {0} ({1}).</translation>
    </message>
    <message>
        <source>customer changed mind</source>
        <translation>customer changed mind</translation>
    </message>
    <message>
        <source>Sale {0} is voided.</source>
        <translation>Sale {0} is voided.</translation>
    </message>
    <message>
        <source>Refund on receipt {0}</source>
        <translation>Refund on receipt {0}</translation>
    </message>
    <message>
        <source>Void sale {0}</source>
        <translation>Void sale {0}</translation>
    </message>
    <message>
        <source>Scan or type a barcode / SKU</source>
        <translation>Scan or type a barcode / SKU</translation>
    </message>
    <message>
        <source>Search name or SKU (F3)</source>
        <translation>Search name or SKU (F3)</translation>
    </message>
    <message>
        <source>Typed weights need a supervisor.</source>
        <translation>Typed weights need a supervisor.</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Qty</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Discount</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <source>Line discount</source>
        <translation>Line discount</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>Remove line</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Cancel sale</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Sale discount</source>
        <translation>Sale discount</translation>
    </message>
    <message>
        <source>Park</source>
        <translation>Park</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Resume</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>Returns</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Pay</translation>
    </message>
    <message>
        <source>Type the weight in kg, e.g. 0,750.</source>
        <translation>Type the weight in kg, e.g. 0,750.</translation>
    </message>
    <message>
        <source>Weighing {0}…</source>
        <translation>Weighing {0}…</translation>
    </message>
    <message>
        <source>Type weight</source>
        <translation>Type weight</translation>
    </message>
    <message>
        <source>Weight of {0} (kg)</source>
        <translation>Weight of {0} (kg)</translation>
    </message>
    <message>
        <source>{0} found for “{1}”</source>
        <translation>{0} found for “{1}”</translation>
    </message>
    <message>
        <source>{0} line</source>
        <translation>{0} line</translation>
    </message>
    <message>
        <source>{0} lines</source>
        <translation>{0} lines</translation>
    </message>
    <message>
        <source>Lowering a quantity needs a supervisor.</source>
        <translation>Lowering a quantity needs a supervisor.</translation>
    </message>
    <message>
        <source>An amount, or a percentage ending in %.</source>
        <translation>An amount, or a percentage ending in %.</translation>
    </message>
    <message>
        <source>Discount on the whole sale</source>
        <translation>Discount on the whole sale</translation>
    </message>
    <message>
        <source>Changing a price needs a supervisor.</source>
        <translation>Changing a price needs a supervisor.</translation>
    </message>
    <message>
        <source>{0} item</source>
        <translation>{0} item</translation>
    </message>
    <message>
        <source>{0} items</source>
        <translation>{0} items</translation>
    </message>
    <message>
        <source>Scan an item to start a sale.</source>
        <translation>Scan an item to start a sale.</translation>
    </message>
    <message>
        <source>There is no line to change: scan an item first.</source>
        <translation>There is no line to change: scan an item first.</translation>
    </message>
    <message>
        <source>Type the discount as an amount (2,00) or a percentage (10%).</source>
        <translation>Type the discount as an amount (2,00) or a percentage (10%).</translation>
    </message>
    <message>
        <source>An empty sale cannot be parked.</source>
        <translation>An empty sale cannot be parked.</translation>
    </message>
    <message>
        <source>This sale has items. Park it and resume the one you chose?</source>
        <translation>This sale has items. Park it and resume the one you chose?</translation>
    </message>
    <message>
        <source>Sale resumed.</source>
        <translation>Sale resumed.</translation>
    </message>
    <message>
        <source>The sale has no items to pay for.</source>
        <translation>The sale has no items to pay for.</translation>
    </message>
    <message>
        <source>{0}   discount {1}   tax {2}</source>
        <translation>{0}   discount {1}   tax {2}</translation>
    </message>
    <message>
        <source>Total {0}</source>
        <translation>Total {0}</translation>
    </message>
    <message>
        <source>Type a quantity above zero.</source>
        <translation>Type a quantity above zero.</translation>
    </message>
    <message>
        <source>Quantity of {0}</source>
        <translation>Quantity of {0}</translation>
    </message>
    <message>
        <source>Discount on {0}</source>
        <translation>Discount on {0}</translation>
    </message>
    <message>
        <source>Type a price, e.g. 2,49.</source>
        <translation>Type a price, e.g. 2,49.</translation>
    </message>
    <message>
        <source>New price of {0}</source>
        <translation>New price of {0}</translation>
    </message>
    <message>
        <source>Cancel the whole sale</source>
        <translation>Cancel the whole sale</translation>
    </message>
    <message>
        <source>credit left {0}</source>
        <translation>credit left {0}</translation>
    </message>
    <message>
        <source>Customer: {0} ({1})</source>
        <translation>Customer: {0} ({1})</translation>
    </message>
    <message>
        <source>Remove {0}</source>
        <translation>Remove {0}</translation>
    </message>
    <message>
        <source>Parked sales: {0}</source>
        <translation>Parked sales: {0}</translation>
    </message>
    <message>
        <source>Park and resume</source>
        <translation>Park and resume</translation>
    </message>
    <message>
        <source>Sale parked.</source>
        <translation>Sale parked.</translation>
    </message>
    <message>
        <source>Sale cancelled.</source>
        <translation>Sale cancelled.</translation>
    </message>
    <message>
        <source>Settings saved. Device changes apply when the till is restarted.</source>
        <translation>Settings saved. Device changes apply when the till is restarted.</translation>
    </message>
    <message>
        <source>Test printer</source>
        <translation>Test printer</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <source>Close shift (blind)</source>
        <translation>Close shift (blind)</translation>
    </message>
    <message>
        <source>Supervisor X</source>
        <translation>Supervisor X</translation>
    </message>
    <message>
        <source>Z report</source>
        <translation>Z report</translation>
    </message>
    <message>
        <source>Print report</source>
        <translation>Print report</translation>
    </message>
    <message>
        <source>Resolve difference</source>
        <translation>Resolve difference</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Cash in</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <source>No sale</source>
        <translation>No sale</translation>
    </message>
    <message>
        <source>X report</source>
        <translation>X report</translation>
    </message>
    <message>
        <source>Lock till</source>
        <translation>Lock till</translation>
    </message>
    <message>
        <source>Count the drawer</source>
        <translation>Count the drawer</translation>
    </message>
    <message>
        <source>No shift is open. Count the float, then Open shift.</source>
        <translation>No shift is open. Count the float, then Open shift.</translation>
    </message>
    <message>
        <source>change for customer</source>
        <translation>change for customer</translation>
    </message>
    <message>
        <source>Drawer opened (no sale).</source>
        <translation>Drawer opened (no sale).</translation>
    </message>
    <message>
        <source>Shift closed. Expected {0}, counted {1}, difference {2}.</source>
        <translation>Shift closed. Expected {0}, counted {1}, difference {2}.</translation>
    </message>
    <message>
        <source>A supervisor must resolve the difference (Resolve difference).</source>
        <translation>A supervisor must resolve the difference (Resolve difference).</translation>
    </message>
    <message>
        <source>Counted {0}</source>
        <translation>Counted {0}</translation>
    </message>
    <message>
        <source>Shift open with a float of {0}.</source>
        <translation>Shift open with a float of {0}.</translation>
    </message>
    <message>
        <source>Take cash out</source>
        <translation>Take cash out</translation>
    </message>
    <message>
        <source>{0}: {1} recorded.</source>
        <translation>{0}: {1} recorded.</translation>
    </message>
    <message>
        <source>Open the drawer without a sale</source>
        <translation>Open the drawer without a sale</translation>
    </message>
    <message>
        <source>Close another cashier's shift</source>
        <translation>Close another cashier's shift</translation>
    </message>
    <message>
        <source>Show the expected cash</source>
        <translation>Show the expected cash</translation>
    </message>
    <message>
        <source>Resolve the cash difference</source>
        <translation>Resolve the cash difference</translation>
    </message>
    <message>
        <source>Shift {0} open since {1}, float {2}.</source>
        <translation>Shift {0} open since {1}, float {2}.</translation>
    </message>
    <message>
        <source>Difference resolved by {0}.</source>
        <translation>Difference resolved by {0}.</translation>
    </message>
    <message>
        <source>No shift is open. Count the float to open one.</source>
        <translation>No shift is open. Count the float to open one.</translation>
    </message>
    <message>
        <source>The receipt printer is back.</source>
        <translation>The receipt printer is back.</translation>
    </message>
    <message>
        <source>Resume another cashier's shift</source>
        <translation>Resume another cashier's shift</translation>
    </message>
    <message>
        <source>{0} Sales go on; receipts print when it is back.</source>
        <translation>{0} Sales go on; receipts print when it is back.</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>printing</source>
        <translation>printing</translation>
    </message>
    <message>
        <source>paper low</source>
        <translation>paper low</translation>
    </message>
    <message>
        <source>out of paper</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <source>cover open</source>
        <translation>cover open</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>not answering</source>
        <translation>not answering</translation>
    </message>
    <message>
        <source>error</source>
        <translation>error</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>not set up</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <source>No shift open</source>
        <translation>No shift open</translation>
    </message>
    <message>
        <source> (suspended)</source>
        <translation> (suspended)</translation>
    </message>
    <message>
        <source>Sync: not set up</source>
        <translation>Sync: not set up</translation>
    </message>
    <message>
        <source>This till is not connected to a central store.</source>
        <translation>This till is not connected to a central store.</translation>
    </message>
    <message>
        <source>Printer: {0}</source>
        <translation>Printer: {0}</translation>
    </message>
    <message>
        <source>User: {0}</source>
        <translation>User: {0}</translation>
    </message>
    <message>
        <source>Shift {0}{1}</source>
        <translation>Shift {0}{1}</translation>
    </message>
    <message>
        <source>Business date {0}</source>
        <translation>Business date {0}</translation>
    </message>
    <message>
        <source>Sync error – {0} waiting</source>
        <translation>Sync error – {0} waiting</translation>
    </message>
    <message>
        <source>Syncing… {0} waiting</source>
        <translation>Syncing… {0} waiting</translation>
    </message>
    <message>
        <source>Synced {0} · {1} waiting</source>
        <translation>Synced {0} · {1} waiting</translation>
    </message>
    <message>
        <source>Not synced yet · {0} waiting</source>
        <translation>Not synced yet · {0} waiting</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>cashier</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>admin</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>cash</translation>
    </message>
    <message>
        <source>card</source>
        <translation>card</translation>
    </message>
    <message>
        <source>voucher</source>
        <translation>voucher</translation>
    </message>
    <message>
        <source>account</source>
        <translation>account</translation>
    </message>
    <message>
        <source>other</source>
        <translation>other</translation>
    </message>
    <message>
        <source>Store name</source>
        <translation>Store name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Cashier discount limit %</source>
        <translation>Cashier discount limit %</translation>
    </message>
    <message>
        <source>Printer URL</source>
        <translation>Printer URL</translation>
    </message>
    <message>
        <source>Scale URL</source>
        <translation>Scale URL</translation>
    </message>
    <message>
        <source>Tax mode</source>
        <translation>Tax mode</translation>
    </message>
    <message>
        <source>Tax rounding</source>
        <translation>Tax rounding</translation>
    </message>
    <message>
        <source>Rounding</source>
        <translation>Rounding</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Receipt header</source>
        <translation>Receipt header</translation>
    </message>
    <message>
        <source>Receipt footer</source>
        <translation>Receipt footer</translation>
    </message>
    <message>
        <source>Round cash totals to</source>
        <translation>Round cash totals to</translation>
    </message>
    <message>
        <source>Prices include tax</source>
        <translation>Prices include tax</translation>
    </message>
    <message>
        <source>Tax added to prices</source>
        <translation>Tax added to prices</translation>
    </message>
    <message>
        <source>Per line</source>
        <translation>Per line</translation>
    </message>
    <message>
        <source>Per receipt</source>
        <translation>Per receipt</translation>
    </message>
    <message>
        <source>Half up (2.5 → 3)</source>
        <translation>Half up (2.5 → 3)</translation>
    </message>
    <message>
        <source>Half to even (2.5 → 2)</source>
        <translation>Half to even (2.5 → 2)</translation>
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
