"""Backups: a consistent database snapshot plus the blob store, with a manifest of hashes."""

from .archive import BackupError, create_backup, restore_backup, verify_backup

__all__ = ["BackupError", "create_backup", "restore_backup", "verify_backup"]
