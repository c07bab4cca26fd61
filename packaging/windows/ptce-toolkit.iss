; Inno Setup 6 script — installer of PTCE Toolkit for Windows, per user (no administrator
; rights needed). Build on Windows after `pyinstaller packaging\ptce-toolkit.spec`:
;   iscc /DAppVersion=0.1.0 packaging\windows\ptce-toolkit.iss
; (packaging\windows\build.ps1 does both and reads the version from pyproject.toml).
; Output: dist\ptce-toolkit-<version>-windows-setup.exe
; Saved as UTF-8 with a BOM: Inno Setup reads it as Unicode (accents, no-break spaces).

#ifndef AppVersion
  #error Passez la version : iscc /DAppVersion=x.y.z packaging\windows\ptce-toolkit.iss
#endif
#define AppName "PTCE Toolkit"
#define Bundle "..\..\dist\ptce-toolkit"

[Setup]
AppId={{6B0E6C1E-3F0B-4E7A-9C55-2C1F0D5A7E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PTCE Toolkit
VersionInfoVersion={#AppVersion}
; per-user install: %LOCALAPPDATA%\Programs\PTCE Toolkit, shortcuts in the user's Start menu
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=ptce-toolkit-{#AppVersion}-windows-setup
SetupIconFile=..\icons\ptce-toolkit.ico
UninstallDisplayIcon={app}\ptce-toolkit.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Languages]
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[Tasks]
Name: "desktopicon"; Description: "Créer une icône sur le Bureau"; GroupDescription: "Raccourcis :"; Flags: unchecked
Name: "addtopath"; Description: "Ajouter la commande « ptce » au PATH (consolidation en ligne de commande)"; GroupDescription: "Ligne de commande :"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The user's data folder (the same one platformdirs gives the app). Never removed by the
; uninstaller: the assessments belong to the user.
Name: "{localappdata}\PTCE Toolkit\PTCE Toolkit"; Flags: uninsneveruninstall
Name: "{localappdata}\PTCE Toolkit\PTCE Toolkit\referentiels"; Flags: uninsneveruninstall

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\ptce-toolkit.exe"; WorkingDir: "{userdocs}"
Name: "{group}\Dossier des données de {#AppName}"; Filename: "{localappdata}\PTCE Toolkit\PTCE Toolkit"
Name: "{group}\Désinstaller {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\ptce-toolkit.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\ptce-toolkit.exe"; Description: "Lancer {#AppName}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;
