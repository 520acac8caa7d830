using System.Security.Cryptography;

namespace Runner.Engine.Vault;

/// <summary>
/// The file handling of Ansible's VaultEditor (read_data, write_data, _shred_file): "-" is stdin/stdout; a file
/// written is first shredded (or removed) and created anew with mode 0600; a shredded file is overwritten with random
/// bytes and removed.
/// </summary>
public static class VaultFileIO
{
    /// <summary>The bytes of <paramref name="path"/> ("-": all of stdin).
    /// Errors: "Unable to read source file (PATH): [Errno 2] No such file or directory: 'PATH'".</summary>
    public static byte[] Read(string path)
    {
        try
        {
            if (path == "-")
            {
                using var ms = new MemoryStream();
                Console.OpenStandardInput().CopyTo(ms);
                return ms.ToArray();
            }
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new VaultError($"Unable to read source file ({path}): [Errno 2] No such file or directory: '{path}'");
        }
        catch (Exception e) when (e is UnauthorizedAccessException)
        {
            throw new VaultError($"Unable to read source file ({path}): [Errno 13] Permission denied: '{path}'");
        }
        catch (IOException e)
        {
            throw new VaultError($"Unable to read source file ({path}): {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="data"/> to <paramref name="path"/> ("-": stdout) as a new 0600 file, shredding
    /// (or, without <paramref name="shred"/>, removing) what was there.</summary>
    public static void Write(byte[] data, string path, bool shred = true)
    {
        if (path == "-")
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(data);
            stdout.Flush();
            return;
        }
        if (File.Exists(path))
        {
            if (shred) Shred(path);
            else File.Delete(path);
        }
        try
        {
            using var fs = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            fs.Write(data);
        }
        catch (IOException e) when (File.Exists(path))
        {
            throw new VaultError($"Vault file got recreated while we were operating on it: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultError($"Problem creating temporary vault file: {e.Message}");
        }
    }

    /// <summary>Overwrites a file with random bytes (three passes) and removes it; a missing file is left alone.</summary>
    public static void Shred(string path)
    {
        if (!File.Exists(path)) return;
        try
        {
            var length = new FileInfo(path).Length;
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write))
                for (var pass = 0; pass < 3 && length > 0; pass++)
                {
                    fs.Position = 0;
                    var chunk = RandomNumberGenerator.GetBytes((int)Math.Min(length, 1 << 20));
                    for (long done = 0; done < length; done += chunk.Length) fs.Write(chunk, 0, (int)Math.Min(chunk.Length, length - done));
                    fs.Flush(true);
                }
        }
        finally { File.Delete(path); }
    }
}
