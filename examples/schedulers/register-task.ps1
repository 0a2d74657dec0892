# Registers a Windows Task Scheduler task that runs the section11 sync every 15 minutes.
# Edit the three paths, then run in PowerShell:  powershell -ExecutionPolicy Bypass -File register-task.ps1
# Credentials: %USERPROFILE%\.config\section11\config.json (never on this command line).
# Remove again with:  Unregister-ScheduledTask -TaskName "section11 sync" -Confirm:$false

$Section11 = "C:\PATH\TO\section11"          # the checkout with its .venv
$DataDir   = "C:\PATH\TO\training-data"      # where the JSON files go
$Python    = Join-Path $Section11 ".venv\Scripts\pythonw.exe"  # pythonw: no console window

# pythonw.exe has no console: every error, like every skipped run, is in this log file.
$LogFile = Join-Path $DataDir ".section11\sync.log"
$Arguments = @(
    "`"$(Join-Path $Section11 'sync.py')`"",
    "--output-dir", "`"$DataDir`"",
    "--lockfile",
    "--log-file", "`"$LogFile`"",
    "--quiet"
) -join " "

$Action = New-ScheduledTaskAction -Execute $Python -Argument $Arguments -WorkingDirectory $DataDir
$Trigger = New-ScheduledTaskTrigger -Once -At (Get-Date).AddMinutes(1) `
    -RepetitionInterval (New-TimeSpan -Minutes 15)
$Settings = New-ScheduledTaskSettingsSet -MultipleInstances IgnoreNew -StartWhenAvailable `
    -ExecutionTimeLimit (New-TimeSpan -Minutes 30) -AllowStartIfOnBatteries `
    -DontStopIfGoingOnBatteries

Register-ScheduledTask -TaskName "section11 sync" -Action $Action -Trigger $Trigger `
    -Settings $Settings -Description "Sync Intervals.icu training data with section11" -Force
Write-Host "Registered. Check with: Get-ScheduledTaskInfo -TaskName 'section11 sync'"
