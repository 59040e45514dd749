/**
 * What people see when the storage under the database fails, said as it is. Each says
 * that nothing was saved, so nobody has to check whether it was.
 */
export const STORAGE_FULL_MESSAGE = "The bot's storage is full; nothing was saved.";
export const STORAGE_READ_ONLY_MESSAGE = "The bot's storage is read-only right now; nothing was saved.";
export const STORAGE_REPLACED_MESSAGE = "The bot's database file was removed or replaced while it was running; nothing was saved. An operator must restart it.";
export const STORAGE_BUSY_MESSAGE = 'The database is busy with another process; nothing was saved. Please try again.';
export const STORAGE_DAMAGED_MESSAGE = "The bot's database file is damaged; nothing was saved. An operator must restore it from a backup.";
export const STORAGE_IO_MESSAGE = "The bot could not write to its storage (a disk error); nothing was saved.";
