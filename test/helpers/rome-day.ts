/**
 * A day as the portal reads and shows it: dd/mm/yyyy in Italy (Europe/Rome). A UTC date is a day
 * behind between midnight in Rome and midnight UTC, where a test computing it in UTC fails.
 */
const ROME_DAY = new Intl.DateTimeFormat('it-IT', {timeZone: 'Europe/Rome', day: '2-digit', month: '2-digit', year: 'numeric'});

export function romeDay(date: Date): string {
	return ROME_DAY.format(date);
}
